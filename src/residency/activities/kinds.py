"""Activity categories and how each maps onto a duty-timeline kind (ACGME.md)."""

import enum


class ActivityCategory(enum.StrEnum):
    CLINICAL = "clinical"
    EDUCATION = "education"
    INPATIENT = "inpatient"
    CALL = "call"
    NIGHT_FLOAT = "night_float"
    LEAVE = "leave"
    OFF = "off"


DUTY_KIND_OF_CATEGORY: dict[ActivityCategory, str | None] = {
    ActivityCategory.CLINICAL: "clinical",
    ActivityCategory.EDUCATION: "education",
    ActivityCategory.INPATIENT: "clinical",
    ActivityCategory.CALL: "in_house_call",
    ActivityCategory.NIGHT_FLOAT: "night_float",
    ActivityCategory.LEAVE: None,
    ActivityCategory.OFF: None,
}
