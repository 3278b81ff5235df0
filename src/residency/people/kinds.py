"""Vocabularies for people (shared by models, schemas and program files)."""

import enum


class PersonRole(enum.StrEnum):
    RESIDENT = "resident"
    FACULTY = "faculty"


class FacultyRole(enum.StrEnum):
    """A faculty member's position; it sets the default weekly clinic cap."""

    PD = "pd"
    APD = "apd"
    OIC = "oic"
    DEPT_CHIEF = "dept_chief"
    SPORTS_MED = "sports_med"
    CORE = "core"
    ADJUNCT = "adjunct"


DEFAULT_WEEKLY_CLINIC_CAP: dict[FacultyRole, int] = {
    FacultyRole.PD: 2,
    FacultyRole.APD: 4,
    FacultyRole.OIC: 3,
    FacultyRole.DEPT_CHIEF: 2,
    FacultyRole.SPORTS_MED: 4,
    FacultyRole.CORE: 6,
    FacultyRole.ADJUNCT: 2,
}
