"""The permission model: what each role may do, in one table (DESIGN.md, "Security").

Every route declares exactly one `Permission` (auth/access.py, `requires`). A permission
is either public (no credential), global (no program in the path) or held in the program
named by the path. A program role grants a permission over ALL the program's rows, or
over its OWN rows only: the rows about the person the user is linked to.
An admin holds every permission in every program.
"""

from __future__ import annotations

import enum

from residency.users.kinds import ProgramRole


class Permission(enum.StrEnum):
    # public: no bearer token
    PUBLIC = "public"  # health probes and sign-in
    CALENDAR_FEED = "calendar.feed"  # calendar feeds: the person's feed token only
    # global
    SIGNED_IN = "signed_in"  # any signed-in user
    PROGRAMS_CREATE = "programs.create"
    USERS_MANAGE = "users.manage"
    AUDIT_READ_ALL = "audit.read_all"
    # held in the program of the path
    PROGRAM_READ = "program.read"  # the program, its years and blocks
    PROGRAM_MANAGE = "program.manage"  # settings, years, catalogue (activities, rotations...)
    PROGRAM_DELETE = "program.delete"
    PEOPLE_READ = "people.read"
    PEOPLE_MANAGE = "people.manage"
    SCHEDULE_READ = "schedule.read"  # the published schedule and its catalogue
    SCHEDULE_MANAGE = "schedule.manage"  # plan, slots, shifts, generation runs and drafts
    REQUESTS_READ = "requests.read"  # leave requests
    REQUESTS_WRITE = "requests.write"
    LEAVE_APPROVE = "leave.approve"  # decide leave requests; coverage of the gaps they leave
    SWAPS_READ = "swaps.read"  # swap history (members: their own swaps and open offers)
    SWAPS_REQUEST = "swaps.request"  # request, validate, accept, claim, decline, cancel
    SWAPS_APPROVE = "swaps.approve"  # approve, deny, execute, roll back
    COMPLIANCE_READ = "compliance.read"  # violations and resident hours
    AUDIT_READ = "audit.read"
    CALENDAR_TOKEN = "calendar.token"  # read and regenerate a person's feed token


class Scope(enum.StrEnum):
    ALL = "all"  # every row of the program
    OWN = "own"  # rows about the user's own person


PUBLIC_PERMISSIONS = frozenset({Permission.PUBLIC, Permission.CALENDAR_FEED})
GLOBAL_PERMISSIONS = frozenset(
    {
        Permission.SIGNED_IN,
        Permission.PROGRAMS_CREATE,
        Permission.USERS_MANAGE,
        Permission.AUDIT_READ_ALL,
    }
)
PROGRAM_PERMISSIONS = frozenset(Permission) - PUBLIC_PERMISSIONS - GLOBAL_PERMISSIONS

_MEMBER = {
    Permission.PROGRAM_READ: Scope.ALL,
    Permission.SCHEDULE_READ: Scope.ALL,
    Permission.PEOPLE_READ: Scope.OWN,
    Permission.REQUESTS_READ: Scope.OWN,
    Permission.REQUESTS_WRITE: Scope.OWN,
    Permission.SWAPS_READ: Scope.OWN,
    Permission.SWAPS_REQUEST: Scope.OWN,
    Permission.COMPLIANCE_READ: Scope.OWN,
    Permission.CALENDAR_TOKEN: Scope.OWN,
}
_MANAGER = {
    permission: Scope.ALL
    for permission in PROGRAM_PERMISSIONS - {Permission.PROGRAM_DELETE, Permission.AUDIT_READ}
}

# The one table: program role -> the permissions it holds in its program, and their scope.
PROGRAM_ROLE_GRANTS: dict[ProgramRole, dict[Permission, Scope]] = {
    ProgramRole.COORDINATOR: {**_MANAGER, Permission.AUDIT_READ: Scope.ALL},
    ProgramRole.CHIEF: _MANAGER,
    ProgramRole.FACULTY: _MEMBER,
    ProgramRole.RESIDENT: _MEMBER,
}


def program_grant(role: ProgramRole, permission: Permission) -> Scope | None:
    """The scope in which `role` holds `permission` in its program, or None."""
    return PROGRAM_ROLE_GRANTS[role].get(permission)


def global_grant(permission: Permission, *, is_admin: bool) -> Scope | None:
    """Global permissions: any signed-in user is SIGNED_IN; the rest are the admin's."""
    if permission is Permission.SIGNED_IN or is_admin:
        return Scope.ALL
    return None
