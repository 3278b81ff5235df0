"""The demo program: a realistic US family-medicine residency, generated from a seed.

`build_demo_program` returns a complete `ProgramFile` for one academic year (America/Chicago,
blocks starting Thursday): the activity catalogue, faculty and residents, about a dozen
rotations with ACGME-feasible weekly patterns, yearly requirements per PGY, a verified
rotation plan, a handful of absences and the holidays. It is pure (no I/O) and
deterministic: everything random comes from one `random.Random(seed)`.

How the rotation plan is built (no solver):

1. every resident gets a *bag* of 13 rotation-blocks for the year: a per-PGY base bag that
   meets the requirements, topped up with extra night-float and FMIT blocks where the
   program needs more coverage (`build_bags`);
2. the bags are laid out over blocks 1-13 by a bipartite edge colouring (König's theorem):
   residents on one side, rotation "seats" of 13 blocks on the other, one colour per block.
   Each resident gets exactly one rotation per block, and every rotation holds floor or ceil
   of its yearly demand / 13 residents in every block (`layout_plan`);
3. a repair pass swaps blocks (alone, or pairwise between two residents, so capacities hold)
   to keep heavy rotations (FMIT, night float) out of consecutive blocks and to avoid a
   day-heavy rotation straight after night float (`spread_heavy_rotations`);
4. `program_problems` re-checks capacities, eligibility, requirements and leave, and the
   generator raises `DemoProgramError` if anything is off.

Every weekly pattern keeps Saturday free (night float's Thursday night ends Friday 07:00, so
its free day is Saturday too), so any 28-day window holds at least four free days whatever
the sequence of rotations; the day rotations that take the weekend in-house call keep the
whole weekend free, leaving room for it. No pattern exceeds 72 hours a week.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Literal

from residency.activities.kinds import ActivityCategory
from residency.core.calendar import (
    BLOCK_COUNT,
    ORIENTATION_BLOCK,
    BlockSpan,
    academic_year_bounds,
    federal_holidays,
    first_on_or_after,
    generate_blocks,
    weekday_number,
)
from residency.core.program_file import (
    AbsenceSpec,
    ActivitySpec,
    DaySpec,
    HolidaySpec,
    PersonSpec,
    PlanEntrySpec,
    ProgramFile,
    RequirementSpec,
    RotationSpec,
)
from residency.core.settings import ProgramSettings, WeekdayName
from residency.people.kinds import DEFAULT_WEEKLY_CLINIC_CAP, FacultyRole, PersonRole

PROGRAM_NAME = "Demo Family Medicine Residency"
TIMEZONE = "America/Chicago"
BLOCK_WEEKDAY: WeekdayName = "thursday"
EMAIL_DOMAIN = "demo-fm.example"
PGY_LEVELS = (1, 2, 3)
MAX_RESIDENTS = 450  # keeps every rotation's max_residents within MAX_CAPACITY
MAX_FACULTY = 1000
MAX_CAPACITY = 99  # the rotations API's bound on max_residents
ORIENTATION = "ORI"
NIGHT_FLOAT = "NF"
FMIT = "FMIT"

WEEK: tuple[WeekdayName, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

AbsenceKind = Literal["vacation", "sick", "conference"]


class DemoProgramError(RuntimeError):
    """The generated program failed its own verification (a bug in the generator)."""


# --- names ---------------------------------------------------------------------------

FIRST_NAMES = (
    "Aisha", "Alejandro", "Amara", "Andrew", "Anika", "Benjamin", "Camila", "Carlos",
    "Chloe", "Daniel", "David", "Diego", "Elena", "Emily", "Ethan", "Fatima",
    "Gabriel", "Grace", "Hannah", "Hiroshi", "Isaac", "Isabella", "Jamal", "James",
    "Jasmine", "Javier", "Jessica", "Jin", "Jordan", "Julia", "Kavya", "Kevin",
    "Laila", "Leah", "Liam", "Lucas", "Marcus", "Maya", "Michael", "Mina",
    "Nadia", "Naomi", "Nathan", "Nikhil", "Noah", "Olivia", "Omar", "Priya",
    "Rachel", "Rafael", "Rohan", "Ruth", "Samuel", "Sara", "Sofia", "Tariq",
    "Thomas", "Valeria", "Victor", "Wei", "William", "Yusuf", "Zara", "Zoe",
)  # fmt: skip

LAST_NAMES = (
    "Adams", "Ahmed", "Alvarez", "Anderson", "Baker", "Bennett", "Brooks", "Campbell",
    "Carter", "Chen", "Clark", "Cruz", "Davis", "Diaz", "Edwards", "Evans",
    "Fischer", "Flores", "Garcia", "Gonzalez", "Gupta", "Hall", "Harris", "Hughes",
    "Ibrahim", "Jackson", "Johnson", "Kim", "Kowalski", "Lee", "Lewis", "Lopez",
    "Martin", "Martinez", "Mendoza", "Miller", "Mitchell", "Morales", "Nakamura", "Nelson",
    "Nguyen", "Okafor", "Ortiz", "Patel", "Perez", "Phillips", "Ramirez", "Reyes",
    "Rivera", "Roberts", "Robinson", "Rossi", "Sanchez", "Shah", "Singh", "Sullivan",
    "Taylor", "Thompson", "Torres", "Walker", "Wang", "Washington", "Williams", "Young",
)  # fmt: skip

# --- activities ----------------------------------------------------------------------

_CLINICAL = ActivityCategory.CLINICAL
_INPATIENT = ActivityCategory.INPATIENT
_OFF = ActivityCategory.OFF


def _t(hour: int) -> time:
    return time(hour, 0)


def build_activities() -> list[ActivitySpec]:
    """The activity catalogue: clinic, precepting, didactics, inpatient, nights, leave, off.

    Activities without their own times use the program's session times (08-12, 13-17).
    Only activities held in the family-medicine clinic see patients there (C, PROC, SM);
    specialty rotations happen off site under their own attendings.
    """
    return [
        ActivitySpec(
            code="C", name="Continuity clinic", category=_CLINICAL,
            needs_supervision=True, sees_patients=True, color="#4C9F70",
        ),
        ActivitySpec(
            code="AT", name="Precepting (attending time)", category=_CLINICAL,
            provides_supervision=True, color="#2E86AB",
        ),
        ActivitySpec(
            code="PROC", name="Procedure clinic", category=_CLINICAL,
            needs_supervision=True, sees_patients=True, procedures=True, color="#8E6C8A",
        ),
        ActivitySpec(
            code="SM", name="Sports medicine clinic", category=_CLINICAL,
            needs_supervision=True, sees_patients=True, color="#3FA7D6",
        ),
        ActivitySpec(
            code="CMED", name="Community medicine", category=_CLINICAL, color="#90BE6D",
        ),
        ActivitySpec(code="ADM", name="Administrative time", category=_CLINICAL, color="#A78A7F"),
        ActivitySpec(
            code="LEC", name="Didactics", category=ActivityCategory.EDUCATION, color="#F2C14E",
        ),
        ActivitySpec(
            code="FMIT", name="Family medicine inpatient team", category=_INPATIENT,
            am_start=_t(6), am_end=_t(12), pm_start=_t(12), pm_end=_t(18), color="#D1495B",
        ),
        ActivitySpec(
            code="NF", name="Night float", category=ActivityCategory.NIGHT_FLOAT,
            pm_start=_t(19), pm_end=_t(7), color="#3D405B",
        ),
        ActivitySpec(
            code="CALL", name="In-house call", category=ActivityCategory.CALL,
            am_start=_t(7), am_end=_t(12), pm_start=_t(12), pm_end=_t(7), color="#C44536",
        ),
        ActivitySpec(
            code="PEDS", name="Pediatrics wards and nursery", category=_INPATIENT,
            am_start=_t(7), am_end=_t(12), pm_start=_t(12), pm_end=_t(17), color="#F79D84",
        ),
        ActivitySpec(
            code="OB", name="Labor and delivery", category=_INPATIENT,
            am_start=_t(7), am_end=_t(12), pm_start=_t(12), pm_end=_t(19), color="#E56399",
        ),
        ActivitySpec(
            code="EM", name="Emergency department", category=_CLINICAL,
            am_start=_t(8), am_end=_t(12), pm_start=_t(12), pm_end=_t(20), color="#F4845F",
        ),
        ActivitySpec(
            code="ICU", name="Intensive care unit", category=_INPATIENT,
            am_start=_t(6), am_end=_t(12), pm_start=_t(12), pm_end=_t(18), color="#9A031E",
        ),
        ActivitySpec(
            code="SURG", name="General surgery", category=_INPATIENT,
            am_start=_t(6), am_end=_t(12), pm_start=_t(12), pm_end=_t(17), color="#5F0F40",
        ),
        ActivitySpec(code="GERI", name="Geriatrics", category=_CLINICAL, color="#6A994E"),
        ActivitySpec(code="BH", name="Behavioral health", category=_CLINICAL, color="#8D86C9"),
        ActivitySpec(code="ELEC", name="Elective", category=_CLINICAL, color="#00A6A6"),
        ActivitySpec(
            code="PC", name="Post-call", category=_OFF, counts_toward_hours=False,
            color="#BDBDBD",
        ),
        ActivitySpec(
            code="LV", name="Leave", category=ActivityCategory.LEAVE, counts_toward_hours=False,
            color="#9E9E9E",
        ),
        ActivitySpec(
            code="OFF", name="Off", category=_OFF, counts_toward_hours=False, color="#E0E0E0",
        ),
        ActivitySpec(
            code="HOL", name="Holiday", category=_OFF, counts_toward_hours=False,
            color="#C7C7C7",
        ),
    ]  # fmt: skip


# --- rotations -----------------------------------------------------------------------


@dataclass(frozen=True)
class RotationDef:
    """A rotation of the demo before its capacity is known.

    `slack_below` / `slack_above` widen the capacity around the balanced load
    floor(demand / 13)..ceil(demand / 13) of the generated plan. `takes_call` marks the
    day rotations with both weekend days free: their residents share the weekend in-house
    call nights (night float covers Sunday to Thursday), which the inpatient rotations
    (FMIT, ICU: six days a week) and night float could not absorb within the day-off rule.
    """

    abbreviation: str
    name: str
    week: tuple[str, str, str, str, str, str, str]  # Monday..Sunday, each "AM/PM"
    eligible_pgy: tuple[int, ...] = PGY_LEVELS
    leave_allowed: bool = True
    protected_education_exempt: bool = False
    heavy: bool = False
    takes_call: bool = False
    slack_below: int = 1
    slack_above: int = 1

    def weekly_pattern(self) -> dict[WeekdayName, DaySpec]:
        """The pattern as program-file cells."""
        pattern: dict[WeekdayName, DaySpec] = {}
        for day, cell in zip(WEEK, self.week, strict=True):
            am, pm = cell.split("/")
            pattern[day] = DaySpec(AM=am, PM=pm)
        return pattern


_WEEKDAYS_LEC = ("LEC/LEC",) * 5
ROTATION_DEFS: tuple[RotationDef, ...] = (
    RotationDef(
        ORIENTATION, "Orientation", (*_WEEKDAYS_LEC, "OFF/OFF", "OFF/OFF"),
        slack_below=0, slack_above=0,
    ),
    RotationDef(
        FMIT, "Family Medicine Inpatient Team",
        ("FMIT/FMIT",) * 5 + ("OFF/OFF", "FMIT/FMIT"),
        leave_allowed=False, protected_education_exempt=True, heavy=True, slack_below=0,
    ),
    RotationDef(
        NIGHT_FLOAT, "Night Float",
        ("OFF/NF",) * 4 + ("OFF/OFF", "OFF/OFF", "OFF/NF"),
        eligible_pgy=(2, 3), leave_allowed=False, protected_education_exempt=True, heavy=True,
        slack_below=0, slack_above=0,
    ),
    RotationDef(
        "CLIN", "Outpatient Family Medicine",
        ("C/C", "C/CMED", "PROC/LEC", "C/C", "C/CMED", "OFF/OFF", "OFF/OFF"),
        takes_call=True, slack_above=0,
    ),
    RotationDef(
        "PEDS", "Pediatrics",
        ("PEDS/PEDS", "PEDS/C", "PEDS/LEC", "PEDS/PEDS", "PEDS/PEDS", "OFF/OFF", "OFF/OFF"),
        takes_call=True,
    ),
    RotationDef(
        "OB", "Obstetrics",
        ("OB/OB", "OB/OB", "OB/LEC", "C/OB", "OB/OB", "OFF/OFF", "OFF/OFF"),
        takes_call=True,
    ),
    RotationDef(
        "EM", "Emergency Medicine",
        ("EM/EM", "OFF/EM", "EM/LEC", "EM/EM", "OFF/C", "OFF/OFF", "OFF/OFF"),
        takes_call=True,
    ),
    RotationDef(
        "ICU", "Intensive Care Unit", ("ICU/ICU",) * 5 + ("OFF/OFF", "ICU/ICU"),
        eligible_pgy=(2, 3), leave_allowed=False, protected_education_exempt=True,
    ),
    RotationDef(
        "SURG", "General Surgery",
        ("SURG/SURG", "SURG/SURG", "SURG/LEC", "SURG/C", "SURG/SURG", "OFF/OFF", "OFF/OFF"),
        eligible_pgy=(1,), takes_call=True,
    ),
    RotationDef(
        "SM", "Sports Medicine",
        ("SM/CMED", "SM/CMED", "SM/LEC", "CMED/CMED", "SM/CMED", "OFF/OFF", "OFF/OFF"),
        eligible_pgy=(2, 3), takes_call=True,
    ),
    RotationDef(
        "GERI", "Geriatrics",
        ("GERI/C", "GERI/GERI", "GERI/LEC", "GERI/GERI", "GERI/GERI", "OFF/OFF", "OFF/OFF"),
        takes_call=True,
    ),
    RotationDef(
        "BH", "Behavioral Health",
        ("BH/BH", "BH/BH", "BH/LEC", "BH/BH", "BH/C", "OFF/OFF", "OFF/OFF"),
        takes_call=True,
    ),
    RotationDef(
        "ELEC", "Elective",
        ("ELEC/ELEC", "ELEC/C", "ELEC/LEC", "ELEC/ELEC", "ELEC/ELEC", "OFF/OFF", "OFF/OFF"),
        eligible_pgy=(2, 3), takes_call=True,
    ),
)  # fmt: skip
ROTATIONS_BY_CODE: dict[str, RotationDef] = {r.abbreviation: r for r in ROTATION_DEFS}
HEAVY: frozenset[str] = frozenset(r.abbreviation for r in ROTATION_DEFS if r.heavy)
# The last night-float night ends Thursday 07:00, the first day of the next block: these
# rotations would start that morning straight off the night, so they are avoided after NF.
NOT_AFTER_NIGHT_FLOAT: frozenset[str] = frozenset({FMIT, NIGHT_FLOAT, "ICU", "OB", "EM", "SURG"})

# --- requirements and yearly bags ----------------------------------------------------

Range = tuple[int, int | None]

REQUIREMENTS: dict[int, dict[str, Range]] = {
    1: {
        FMIT: (3, 4), "SURG": (1, 1), "PEDS": (1, 2), "OB": (1, 2), "EM": (1, 1),
        "GERI": (1, None), "BH": (1, None), "CLIN": (1, None),
    },
    2: {
        FMIT: (2, 3), NIGHT_FLOAT: (1, 2), "ICU": (1, 1), "PEDS": (1, None), "OB": (1, None),
        "EM": (1, None), "SM": (1, None), "CLIN": (1, None),
    },
    3: {
        FMIT: (2, 3), NIGHT_FLOAT: (1, 2), "ELEC": (2, 4), "SM": (1, None), "CLIN": (2, None),
    },
}  # fmt: skip
"""Blocks per year on a rotation, per PGY: (min, max or None)."""

BASE_BAGS: dict[int, dict[str, int]] = {
    1: {FMIT: 4, "PEDS": 2, "OB": 1, "EM": 1, "SURG": 1, "GERI": 1, "BH": 1, "CLIN": 2},
    2: {
        FMIT: 2, NIGHT_FLOAT: 1, "ICU": 1, "PEDS": 1, "OB": 1, "EM": 1, "SM": 1, "GERI": 1,
        "BH": 1, "ELEC": 1, "CLIN": 2,
    },
    3: {
        FMIT: 2, NIGHT_FLOAT: 1, "SM": 1, "ELEC": 3, "CLIN": 3, "PEDS": 1, "EM": 1, "BH": 1,
    },
}  # fmt: skip
"""Each resident's 13 blocks before coverage top-ups."""

DONORS: dict[int, tuple[str, ...]] = {
    1: ("CLIN", "PEDS"),
    2: ("ELEC", "CLIN", "BH", "GERI"),
    3: ("ELEC", "CLIN", "BH", "EM", "PEDS"),
}
"""Rotations a resident gives a block up from when topped up with night float or FMIT."""


# --- people --------------------------------------------------------------------------


def class_sizes(residents: int) -> dict[int, int]:
    """Residents per PGY, split as evenly as possible (earlier PGYs take the remainder)."""
    base, extra = divmod(residents, len(PGY_LEVELS))
    return {pgy: base + (1 if index < extra else 0) for index, pgy in enumerate(PGY_LEVELS)}


def faculty_roles(count: int) -> list[FacultyRole]:
    """Roles of `count` faculty: the five named roles first, then core, then ~15% adjunct."""
    named = [
        FacultyRole.PD,
        FacultyRole.APD,
        FacultyRole.OIC,
        FacultyRole.DEPT_CHIEF,
        FacultyRole.SPORTS_MED,
    ][:count]
    rest = count - len(named)
    adjuncts = min(rest, max(1, int(count * 0.15 + 0.5))) if count >= 7 else 0
    return named + [FacultyRole.CORE] * (rest - adjuncts) + [FacultyRole.ADJUNCT] * adjuncts


def draw_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct (first, last) names from the built-in lists."""
    combos = len(FIRST_NAMES) * len(LAST_NAMES)
    if count > combos:
        raise ValueError(f"at most {combos} people have distinct demo names")
    return [
        (FIRST_NAMES[pick // len(LAST_NAMES)], LAST_NAMES[pick % len(LAST_NAMES)])
        for pick in rng.sample(range(combos), count)
    ]


def _email(first: str, last: str) -> str:
    return f"{first.lower()}.{last.lower()}@{EMAIL_DOMAIN}"


def build_faculty(names: Sequence[tuple[str, str]]) -> list[PersonSpec]:
    """Faculty `f-01`..., one per name, with roles from `faculty_roles`."""
    width = max(2, len(str(len(names))))
    return [
        PersonSpec(
            id=f"f-{index:0{width}d}",
            name=f"{first} {last}",
            email=_email(first, last),
            role=PersonRole.FACULTY,
            faculty_role=role,
            weekly_clinic_cap=DEFAULT_WEEKLY_CLINIC_CAP[role],
        )
        for index, ((first, last), role) in enumerate(
            zip(names, faculty_roles(len(names)), strict=True), start=1
        )
    ]


def build_residents(names: Sequence[tuple[str, str]]) -> list[PersonSpec]:
    """Residents `r1-01`..., `r2-01`..., `r3-01`..., split evenly across PGY 1-3."""
    sizes = class_sizes(len(names))
    width = max(2, len(str(max(sizes.values(), default=0))))
    people: list[PersonSpec] = []
    remaining = iter(names)
    for pgy in PGY_LEVELS:
        for index in range(1, sizes[pgy] + 1):
            first, last = next(remaining)
            people.append(
                PersonSpec(
                    id=f"r{pgy}-{index:0{width}d}",
                    name=f"{first} {last}",
                    email=_email(first, last),
                    role=PersonRole.RESIDENT,
                    pgy=pgy,
                )
            )
    return people


# --- bags (what each resident does during the year) ----------------------------------


def _requirement_range(pgy: int, rotation: str) -> tuple[int, int]:
    low, high = REQUIREMENTS[pgy].get(rotation, (0, None))
    return low, BLOCK_COUNT if high is None else high


def _take_block_for(bag: Counter[str], pgy: int, rotation: str) -> bool:
    """Move one of the bag's blocks to `rotation` if requirements allow; whether it did."""
    if pgy not in ROTATIONS_BY_CODE[rotation].eligible_pgy:
        return False
    if bag[rotation] >= _requirement_range(pgy, rotation)[1]:
        return False
    for donor in DONORS[pgy]:
        if bag[donor] > _requirement_range(pgy, donor)[0]:
            bag[donor] -= 1
            bag[rotation] += 1
            return True
    return False


def _top_up(
    bags: Mapping[str, Counter[str]],
    residents: Sequence[PersonSpec],
    rotation: str,
    target: int,
    rng: random.Random,
) -> None:
    """Give the residents extra `rotation` blocks until they hold `target` between them.

    One block per resident per round, seniors first and, within a PGY, those with the
    fewest heavy blocks first (so heavy load stays fair); stops when no one can take more.
    """
    order: list[PersonSpec] = []
    for pgy in sorted(PGY_LEVELS, reverse=True):
        group = [person for person in residents if person.pgy == pgy]
        rng.shuffle(group)
        group.sort(key=lambda person: sum(bags[person.id][code] for code in HEAVY))
        order.extend(group)
    demand = sum(bags[person.id][rotation] for person in residents)
    progress = True
    while demand < target and progress:
        progress = False
        for person in order:
            if demand >= target:
                break
            if _take_block_for(bags[person.id], _pgy(person), rotation):
                demand += 1
                progress = True


def _pgy(person: PersonSpec) -> int:
    if person.pgy is None:
        raise ValueError(f"resident {person.id} has no PGY")
    return person.pgy


def night_float_target(seniors: int) -> int:
    """Yearly night-float blocks wanted: enough for ceil(seniors / 13) residents a block."""
    return BLOCK_COUNT * max(1, math.ceil(seniors / BLOCK_COUNT)) if seniors else 0


def build_bags(residents: Sequence[PersonSpec], rng: random.Random) -> dict[str, Counter[str]]:
    """Each resident's 13 rotation-blocks: the PGY's base bag plus coverage top-ups.

    Night float needs at least one resident every block (more in large programs), and the
    FMIT team a senior (PGY-2+) every block; seniors take the extra blocks in place of
    electives or clinic blocks.
    """
    bags = {person.id: Counter(BASE_BAGS[_pgy(person)]) for person in residents}
    seniors = [person for person in residents if _pgy(person) >= 2]
    _top_up(bags, seniors, NIGHT_FLOAT, night_float_target(len(seniors)), rng)
    _top_up(bags, seniors, FMIT, BLOCK_COUNT, rng)
    _top_up(bags, residents, FMIT, BLOCK_COUNT, rng)
    return bags


def rotation_demand(bags: Mapping[str, Counter[str]]) -> Counter[str]:
    """Resident-blocks per rotation over the year."""
    total: Counter[str] = Counter()
    for bag in bags.values():
        total.update(bag)
    return total


def capacity(definition: RotationDef, demand: int, residents: int) -> tuple[int, int]:
    """min..max residents per block: the balanced load of `demand`, widened by the slack."""
    if definition.abbreviation == ORIENTATION:  # block 0 only, which has no capacity rule
        return 0, min(residents, MAX_CAPACITY)
    low, high = demand // BLOCK_COUNT, -(-demand // BLOCK_COUNT)
    return max(0, low - definition.slack_below), high + definition.slack_above


def build_rotations(demand: Mapping[str, int], residents: int) -> list[RotationSpec]:
    """The rotations, with capacities scaled to the year's demand for each."""
    rotations = []
    for definition in ROTATION_DEFS:
        low, high = capacity(definition, demand.get(definition.abbreviation, 0), residents)
        rotations.append(
            RotationSpec(
                name=definition.name,
                abbreviation=definition.abbreviation,
                weekly_pattern=definition.weekly_pattern(),
                min_residents=low,
                max_residents=high,
                eligible_pgy=list(definition.eligible_pgy),
                leave_allowed=definition.leave_allowed,
                protected_education_exempt=definition.protected_education_exempt,
                heavy=definition.heavy,
                takes_call=definition.takes_call,
            )
        )
    return rotations


def build_requirements(orientation: bool) -> list[RequirementSpec]:
    """Yearly requirements per PGY (plus exactly one orientation block when there is one)."""
    requirements = []
    for pgy in PGY_LEVELS:
        if orientation:
            requirements.append(
                RequirementSpec(pgy=pgy, rotation=ORIENTATION, min_blocks=1, max_blocks=1)
            )
        for rotation, (low, high) in REQUIREMENTS[pgy].items():
            requirements.append(
                RequirementSpec(pgy=pgy, rotation=rotation, min_blocks=low, max_blocks=high)
            )
    return requirements


# --- laying the bags out over the blocks ---------------------------------------------


def color_bipartite(
    left: int, right: int, edges: Sequence[tuple[int, int]], colors: int
) -> list[int]:
    """A proper edge colouring of a bipartite multigraph with max degree <= `colors`.

    `edges` join left node `u` (0..left-1) to right node `v` (0..right-1). Classic König
    construction: colour each edge with a colour free at both ends, after flipping an
    alternating two-colour path when needed. Returns each edge's colour.
    """
    slots: list[list[int]] = [[-1] * colors for _ in range(left + right)]
    ends = [(u, left + v) for u, v in edges]
    color = [-1] * len(ends)
    for edge, (u, v) in enumerate(ends):
        free_u = [c for c in range(colors) if slots[u][c] < 0]
        free_v = [c for c in range(colors) if slots[v][c] < 0]
        if not free_u or not free_v:
            raise ValueError("a node has more edges than colours")
        common = next((c for c in free_u if slots[v][c] < 0), None)
        if common is None:
            common = free_u[0]
            _flip_path(slots, ends, color, v, common, free_v[0])
        color[edge] = common
        slots[u][common] = slots[v][common] = edge
    return color


def _flip_path(
    slots: list[list[int]],
    ends: Sequence[tuple[int, int]],
    color: list[int],
    start: int,
    a: int,
    b: int,
) -> None:
    """Swap colours a and b along the a/b alternating path from `start` (which lacks b)."""
    path: list[int] = []
    node, wanted = start, a
    while (edge := slots[node][wanted]) >= 0:
        path.append(edge)
        x, y = ends[edge]
        node = y if x == node else x
        wanted = b if wanted == a else a
    for edge in path:
        x, y = ends[edge]
        slots[x][color[edge]] = slots[y][color[edge]] = -1
    for edge in path:
        x, y = ends[edge]
        color[edge] = b if color[edge] == a else a
        slots[x][color[edge]] = slots[y][color[edge]] = edge


def layout_plan(
    residents: Sequence[PersonSpec],
    bags: Mapping[str, Counter[str]],
    rng: random.Random,
) -> list[list[str]]:
    """Blocks 1-13 of every resident (row i, column block-1), load-balanced per block.

    Each rotation's yearly demand is cut into seats of 13 resident-blocks; an edge colouring
    of residents x seats with 13 colours gives every resident one rotation per block and
    every seat at most one resident per block, so a rotation holds floor or ceil of
    demand / 13 residents in every block. Seniors fill a rotation's seats first, so when
    seniors hold 13 or more FMIT blocks a full seat puts one on the team in every block.
    """
    edges: list[tuple[int, int]] = []
    seat_rotation: list[str] = []
    for definition in ROTATION_DEFS:
        code = definition.abbreviation
        holders = [i for i, person in enumerate(residents) if bags[person.id][code] > 0]
        rng.shuffle(holders)
        holders.sort(key=lambda i: -_pgy(residents[i]))  # seniors fill the first seats
        filled = BLOCK_COUNT
        for index in holders:
            for _ in range(bags[residents[index].id][code]):
                if filled == BLOCK_COUNT:
                    seat_rotation.append(code)
                    filled = 0
                edges.append((index, len(seat_rotation) - 1))
                filled += 1
    order = list(range(len(edges)))
    rng.shuffle(order)
    shuffled = [edges[i] for i in order]
    colors = color_bipartite(len(residents), len(seat_rotation), shuffled, BLOCK_COUNT)
    block_of_color = list(range(BLOCK_COUNT))
    rng.shuffle(block_of_color)
    grid = [[""] * BLOCK_COUNT for _ in residents]
    for (resident, seat), color in zip(shuffled, colors, strict=True):
        grid[resident][block_of_color[color]] = seat_rotation[seat]
    return grid


def _pair_penalty(first: str, second: str) -> int:
    heavy_pair = first in HEAVY and second in HEAVY
    after_nights = first == NIGHT_FLOAT and second in NOT_AFTER_NIGHT_FLOAT
    return 1 if heavy_pair or after_nights else 0


def sequence_penalty(row: Sequence[str]) -> int:
    """Back-to-back heavy blocks, and day-heavy blocks straight after night float."""
    return sum(_pair_penalty(a, b) for a, b in itertools.pairwise(row))


def _swapped(row: Sequence[str], x: int, y: int) -> list[str]:
    new = list(row)
    new[x], new[y] = new[y], new[x]
    return new


SENIOR_FMIT = "FMIT/senior"
"""Pseudo-rotation counted by the repair pass: PGY-2+ residents on the FMIT team."""


def _keys(code: str, senior: bool) -> tuple[str, ...]:
    """The count keys a resident on `code` contributes to (FMIT seniors count twice)."""
    return (code, SENIOR_FMIT) if senior and code == FMIT else (code,)


@dataclass
class _PlanState:
    grid: list[list[str]]
    seniors: Sequence[bool]
    bounds: Mapping[str, tuple[int, int]]
    counts: list[Counter[str]]
    holders: dict[tuple[int, str], set[int]]

    @classmethod
    def of(
        cls,
        grid: list[list[str]],
        seniors: Sequence[bool],
        bounds: Mapping[str, tuple[int, int]],
    ) -> _PlanState:
        counts: list[Counter[str]] = [Counter() for _ in range(BLOCK_COUNT)]
        holders: dict[tuple[int, str], set[int]] = {}
        for index, row in enumerate(grid):
            for block, code in enumerate(row):
                counts[block].update(_keys(code, seniors[index]))
                holders.setdefault((block, code), set()).add(index)
        return cls(grid, seniors, bounds, counts, holders)

    def swap_delta(self, resident: int, x: int, y: int) -> Counter[tuple[int, str]]:
        """How swapping blocks x and y of a resident changes the (block, key) counts."""
        p, q = self.grid[resident][x], self.grid[resident][y]
        delta: Counter[tuple[int, str]] = Counter()
        for code, source, target in ((p, x, y), (q, y, x)):
            for key in _keys(code, self.seniors[resident]):
                delta[(source, key)] -= 1
                delta[(target, key)] += 1
        return delta

    def fits(self, delta: Counter[tuple[int, str]]) -> bool:
        """Whether every block keeps each rotation within bounds after `delta`."""
        return all(
            self.bounds[key][0] <= self.counts[block][key] + change <= self.bounds[key][1]
            for (block, key), change in delta.items()
            if change
        )

    def swap(self, resident: int, x: int, y: int) -> None:
        """Swap blocks x and y of the resident's row, keeping counts and holders current."""
        for (block, key), change in self.swap_delta(resident, x, y).items():
            self.counts[block][key] += change
        row = self.grid[resident]
        p, q = row[x], row[y]
        for block, old, new in ((x, p, q), (y, q, p)):
            self.holders[(block, old)].discard(resident)
            self.holders.setdefault((block, new), set()).add(resident)
        row[x], row[y] = q, p


def _improve_resident(state: _PlanState, resident: int, rng: random.Random) -> bool:
    """One block swap that lowers the resident's penalty, keeping capacities; whether found."""
    row = state.grid[resident]
    before = sequence_penalty(row)
    for block in range(BLOCK_COUNT - 1):
        if not _pair_penalty(row[block], row[block + 1]):
            continue
        for x in (block + 1, block):
            targets = list(range(BLOCK_COUNT))
            rng.shuffle(targets)
            for y in targets:
                p, q = row[x], row[y]
                if p == q:
                    continue
                gain = before - sequence_penalty(_swapped(row, x, y))
                if gain <= 0:
                    continue
                own = state.swap_delta(resident, x, y)
                if state.fits(own):
                    state.swap(resident, x, y)
                    return True
                if _swap_with_partner(state, resident, x, y, gain, own):
                    return True
    return False


def _swap_with_partner(
    state: _PlanState,
    resident: int,
    x: int,
    y: int,
    gain: int,
    own: Counter[tuple[int, str]],
) -> bool:
    """Swap blocks x and y of the resident and of a partner who rebalances the counts.

    The partner holds the resident's rotation of block y in block x, or that of block x in
    block y, so one of the two rotations is back in balance; the rest must fit the slack.
    """
    p, q = state.grid[resident][x], state.grid[resident][y]
    partners = state.holders.get((x, q), set()) | state.holders.get((y, p), set())
    for other in sorted(partners - {resident}):
        other_row = state.grid[other]
        if other_row[x] == other_row[y]:
            continue
        cost = sequence_penalty(_swapped(other_row, x, y)) - sequence_penalty(other_row)
        if gain - cost <= 0:
            continue
        both = Counter(own)
        both.update(state.swap_delta(other, x, y))  # update keeps negative counts, + does not
        if state.fits(both):
            state.swap(resident, x, y)
            state.swap(other, x, y)
            return True
    return False


def spread_heavy_rotations(
    grid: list[list[str]],
    seniors: Sequence[bool],
    bounds: Mapping[str, tuple[int, int]],
    rng: random.Random,
) -> None:
    """Repair pass: keep heavy rotations out of consecutive blocks where avoidable.

    Swaps two blocks of one resident when capacities allow, else the same two blocks of a
    second resident too, chosen so the pair keeps every rotation within its capacity (two
    residents holding the same rotations crosswise leave the counts unchanged). Swaps also
    keep a senior (PGY-2+) on the FMIT team in every block where the layout had one. Every
    swap lowers the total penalty, so the pass ends.
    """
    senior_fmit = [
        sum(1 for row, senior in zip(grid, seniors, strict=True) if senior and row[b] == FMIT)
        for b in range(BLOCK_COUNT)
    ]
    floor = 1 if senior_fmit and min(senior_fmit) >= 1 else 0
    state = _PlanState.of(grid, seniors, {**bounds, SENIOR_FMIT: (floor, len(grid))})
    changed = True
    while changed:
        changed = False
        for resident in range(len(grid)):
            while _improve_resident(state, resident, rng):
                changed = True


def build_plan(
    residents: Sequence[PersonSpec],
    grid: Sequence[Sequence[str]],
    orientation: bool,
) -> list[PlanEntrySpec]:
    """Plan entries: orientation (locked) in block 0, then the grid's blocks 1-13."""
    entries: list[PlanEntrySpec] = []
    for person, row in zip(residents, grid, strict=True):
        if orientation:
            entries.append(
                PlanEntrySpec(
                    person=person.id, block=ORIENTATION_BLOCK, rotation=ORIENTATION, locked=True
                )
            )
        entries.extend(
            PlanEntrySpec(person=person.id, block=block, rotation=code)
            for block, code in enumerate(row, start=1)
        )
    return entries


# --- absences ------------------------------------------------------------------------

_VACATION_REASONS = ("Vacation", "Family vacation", "Family wedding", "Visiting family")


def _starts(block: BlockSpan, weekdays: Iterable[int], length: int) -> list[date]:
    """Dates in the block on one of `weekdays` from which `length` days fit in the block."""
    allowed = set(weekdays)
    return [
        block.start + timedelta(days=offset)
        for offset in range((block.end - block.start).days - length + 2)
        if (block.start + timedelta(days=offset)).weekday() in allowed
    ]


def _absence_dates(block: BlockSpan, kind: AbsenceKind, rng: random.Random) -> tuple[date, date]:
    """Realistic dates inside the block: vacations start Monday, conferences Wednesday."""
    if kind == "vacation":
        length, weekdays = rng.choice((5, 6, 7)), (0,)
    elif kind == "conference":
        length, weekdays = 4, (2,)
    else:
        length, weekdays = rng.choice((1, 2)), (0, 1, 2, 3)
    starts = _starts(block, weekdays, length) or [block.start]
    start = rng.choice(starts)
    return start, min(block.end, start + timedelta(days=length - 1))


def _absence_kinds(residents: int, faculty: int) -> tuple[list[AbsenceKind], list[AbsenceKind]]:
    """Kinds of the chosen residents' and faculty's absences: one sick, one conference."""
    resident_kinds: list[AbsenceKind] = ["vacation"] * residents
    faculty_kinds: list[AbsenceKind] = ["vacation"] * faculty
    sick = resident_kinds if residents else faculty_kinds
    if sick:
        sick[0] = "sick"
    if faculty:
        faculty_kinds[-1] = "conference" if faculty_kinds[-1] == "vacation" else "sick"
    elif residents >= 2:
        resident_kinds[-1] = "conference"
    return resident_kinds, faculty_kinds


def build_absences(
    residents: Sequence[PersonSpec],
    faculty: Sequence[PersonSpec],
    grid: Sequence[Sequence[str]],
    blocks: Sequence[BlockSpan],
    rng: random.Random,
) -> list[AbsenceSpec]:
    """About one absence per three residents and one per five faculty.

    Mostly 5-7 day vacations, one sick day or two, one conference; a mix of approved and
    requested. Resident leave sits inside one block whose planned rotation allows leave.
    """
    year_blocks = [block for block in blocks if block.number != ORIENTATION_BLOCK]
    resident_count = max(1, round(len(residents) / 3)) if residents else 0
    chosen_residents = rng.sample(range(len(residents)), resident_count)
    faculty_count = min(len(faculty), max(1, round(len(faculty) / 5))) if faculty else 0
    chosen_faculty = rng.sample(range(len(faculty)), faculty_count)
    resident_kinds, faculty_kinds = _absence_kinds(len(chosen_residents), len(chosen_faculty))
    flip = rng.randrange(2)
    absences: list[AbsenceSpec] = []
    for index, kind in zip(chosen_residents, resident_kinds, strict=True):
        options = [
            block
            for block, code in zip(year_blocks, grid[index], strict=True)
            if ROTATIONS_BY_CODE[code].leave_allowed
        ]
        absences.append(_absence(residents[index], kind, rng.choice(options), rng, flip))
        flip += 1
    for index, kind in zip(chosen_faculty, faculty_kinds, strict=True):
        absences.append(_absence(faculty[index], kind, rng.choice(year_blocks), rng, flip))
        flip += 1
    return sorted(absences, key=lambda a: (a.start_date, a.person))


def _absence(
    person: PersonSpec, kind: AbsenceKind, block: BlockSpan, rng: random.Random, flip: int
) -> AbsenceSpec:
    start, end = _absence_dates(block, kind, rng)
    if kind == "vacation":
        status: Literal["approved", "requested"] = ("approved", "requested")[flip % 2]
        reason = rng.choice(_VACATION_REASONS)
    elif kind == "conference":
        status, reason = "approved", "AAFP Family Medicine Experience (FMX)"
    else:
        status, reason = "approved", "Influenza"
    return AbsenceSpec(
        person=person.id, kind=kind, start_date=start, end_date=end, status=status, reason=reason
    )


# --- holidays ------------------------------------------------------------------------


def thanksgiving(year: int) -> date:
    """The fourth Thursday of November."""
    return first_on_or_after(date(year, 11, 1), weekday_number("thursday")) + timedelta(weeks=3)


def build_holidays(academic_year: int) -> list[HolidaySpec]:
    """Federal holidays (clinic closed) and the day after Thanksgiving (reduced clinic)."""
    found = {
        day: HolidaySpec(date=day, name=name)
        for day, name in federal_holidays(academic_year).items()
    }
    after = thanksgiving(academic_year) + timedelta(days=1)
    found.setdefault(
        after, HolidaySpec(date=after, name="Day after Thanksgiving", clinic_level="reduced")
    )
    return [found[day] for day in sorted(found)]


# --- verification --------------------------------------------------------------------


def program_problems(doc: ProgramFile) -> list[str]:
    """Everything wrong with a program's plan and leave; empty when it is sound.

    Checks one entry per resident and block, orientation in block 0 only, PGY eligibility,
    per-block capacity (blocks 1-13: block 0 is orientation for everyone), the yearly
    requirements, and that absences lie inside the academic year with approved resident
    leave only on rotations that allow leave.
    """
    blocks = generate_blocks(doc.academic_year, weekday_number(doc.block_weekday))
    return [*_plan_problems(doc, blocks), *_absence_problems(doc, blocks)]


def _plan_problems(doc: ProgramFile, blocks: Sequence[BlockSpan]) -> list[str]:
    rotations = {r.abbreviation: r for r in doc.rotations}
    residents = {p.id: p for p in doc.people if p.role == PersonRole.RESIDENT}
    numbers = [block.number for block in blocks]
    found: list[str] = []
    seen: dict[tuple[str, int], str] = {}
    for entry in doc.rotation_plan:
        person, rotation = residents.get(entry.person), rotations[entry.rotation]
        if person is None:
            found.append(f"plan entry for non-resident {entry.person}")
            continue
        if (entry.person, entry.block) in seen or entry.half != 0:
            found.append(f"{entry.person}: block {entry.block} planned more than once")
        seen[(entry.person, entry.block)] = entry.rotation
        if person.pgy not in rotation.eligible_pgy:
            found.append(f"{entry.person}: PGY-{person.pgy} not eligible for {entry.rotation}")
        if (entry.rotation == ORIENTATION) != (entry.block == ORIENTATION_BLOCK):
            found.append(f"{entry.person}: {entry.rotation} in block {entry.block}")
    for person_id in residents:
        found.extend(
            f"{person_id}: block {n} not planned" for n in numbers if (person_id, n) not in seen
        )
    found.extend(_capacity_problems(seen, rotations.values(), numbers))
    found.extend(_requirement_problems(doc, seen, residents))
    return found


def _capacity_problems(
    seen: Mapping[tuple[str, int], str], rotations: Iterable[RotationSpec], numbers: Sequence[int]
) -> list[str]:
    counts = Counter((block, code) for (_, block), code in seen.items())
    found = []
    for rotation in rotations:
        if rotation.max_residents > MAX_CAPACITY:
            found.append(f"{rotation.abbreviation}: max_residents over {MAX_CAPACITY}")
        for number in numbers:
            count = counts[(number, rotation.abbreviation)]
            if number != ORIENTATION_BLOCK and not (
                rotation.min_residents <= count <= rotation.max_residents
            ):
                found.append(
                    f"block {number}: {count} on {rotation.abbreviation}, allowed "
                    f"{rotation.min_residents}..{rotation.max_residents}"
                )
    return found


def _requirement_problems(
    doc: ProgramFile, seen: Mapping[tuple[str, int], str], residents: Mapping[str, PersonSpec]
) -> list[str]:
    done = Counter((person, code) for (person, _), code in seen.items())
    found = []
    for requirement in doc.requirements:
        high = BLOCK_COUNT + 1 if requirement.max_blocks is None else requirement.max_blocks
        for person in residents.values():
            count = done[(person.id, requirement.rotation)]
            if person.pgy == requirement.pgy and not requirement.min_blocks <= count <= high:
                found.append(
                    f"{person.id}: {count} block(s) of {requirement.rotation}, required "
                    f"{requirement.min_blocks}..{requirement.max_blocks}"
                )
    return found


def _absence_problems(doc: ProgramFile, blocks: Sequence[BlockSpan]) -> list[str]:
    year_start, year_end = academic_year_bounds(doc.academic_year)
    rotations = {r.abbreviation: r for r in doc.rotations}
    planned = {(e.person, e.block): e.rotation for e in doc.rotation_plan}
    found = []
    for absence in doc.absences:
        if not year_start <= absence.start_date <= absence.end_date <= year_end:
            found.append(f"{absence.person}: absence {absence.start_date} outside the year")
            continue
        if absence.status != "approved":
            continue
        for block in blocks:
            if block.end < absence.start_date or block.start > absence.end_date:
                continue
            code = planned.get((absence.person, block.number))
            if code is not None and not rotations[code].leave_allowed:
                found.append(
                    f"{absence.person}: approved leave during {code} in block {block.number}"
                )
    return found


# --- the program ---------------------------------------------------------------------

DEFAULT_CLINIC_ROOMS = 6
RESIDENTS_PER_DEFAULT_CLINIC = 18


def clinic_rooms(residents: int) -> int:
    """Rooms that grow with the program: 6 for the 18-resident default, in proportion above."""
    return max(
        DEFAULT_CLINIC_ROOMS,
        math.ceil(DEFAULT_CLINIC_ROOMS * residents / RESIDENTS_PER_DEFAULT_CLINIC),
    )


def build_demo_program(
    residents: int = 18, faculty: int = 13, seed: int = 2026, academic_year: int = 2026
) -> ProgramFile:
    """A complete, verified demo program for one academic year.

    `residents` are split evenly across PGY 1-3; `faculty` get the named roles (PD, APD,
    OIC, department chief, sports medicine) first, then core and ~15% adjunct. The same
    arguments always give the same program. Raises ValueError on impossible sizes and
    DemoProgramError if the generated plan fails its own verification.
    """
    if not 0 <= residents <= MAX_RESIDENTS:
        raise ValueError(f"residents must be between 0 and {MAX_RESIDENTS}")
    if not 0 <= faculty <= MAX_FACULTY:
        raise ValueError(f"faculty must be between 0 and {MAX_FACULTY}")
    rng = random.Random(seed)
    blocks = generate_blocks(academic_year, weekday_number(BLOCK_WEEKDAY))
    orientation = blocks[0].number == ORIENTATION_BLOCK
    names = draw_names(faculty + residents, rng)
    faculty_people = build_faculty(names[:faculty])
    resident_people = build_residents(names[faculty:])
    bags = build_bags(resident_people, rng)
    rotations = build_rotations(rotation_demand(bags), residents)
    grid = layout_plan(resident_people, bags, rng)
    bounds = {r.abbreviation: (r.min_residents, r.max_residents) for r in rotations}
    seniors = [_pgy(person) >= 2 for person in resident_people]
    spread_heavy_rotations(grid, seniors, bounds, rng)
    doc = ProgramFile(
        name=f"{PROGRAM_NAME} {academic_year}-{(academic_year + 1) % 100:02d}",
        timezone=TIMEZONE,
        block_weekday=BLOCK_WEEKDAY,
        academic_year=academic_year,
        settings=ProgramSettings(clinic_rooms=clinic_rooms(residents)),
        activities=build_activities(),
        people=[*faculty_people, *resident_people],
        rotations=rotations,
        requirements=build_requirements(orientation),
        rotation_plan=build_plan(resident_people, grid, orientation),
        absences=build_absences(resident_people, faculty_people, grid, blocks, rng),
        holidays=build_holidays(academic_year),
    )
    problems = program_problems(doc)
    if problems:
        raise DemoProgramError("demo program failed verification: " + "; ".join(problems[:10]))
    return doc
