"""The schedule grid as a view model (pure: a `ScheduleSnapshot` in, rows of cells out).

People are rows, residents grouped by PGY and then faculty; days are columns, each with
an AM and a PM cell. A cell shows the activity's code (colour is never the only signal),
is coloured by the activity, and is marked when it is on approved leave, locked, today,
or flagged by the compliance dashboard. Timed shifts add a tag to the cells they cover:
CALL (24-h in-house call), NF (night float), HC (faculty home call), FMIT (inpatient week).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from residency.core.calendar import Session
from residency.core.schedule import PersonInfo, ScheduleSnapshot

SESSIONS = ("AM", "PM")
WEEKEND = (5, 6)
SHIFT_TAGS = {"call": "CALL", "night_float": "NF", "faculty_call": "HC", "fmit_week": "FMIT"}
SHIFT_NAMES = {
    "CALL": "24-hour in-house call",
    "NF": "night float",
    "HC": "faculty home call",
    "FMIT": "FMIT inpatient week",
}
CATEGORY_NAMES = {
    "clinical": "clinical",
    "education": "education",
    "inpatient": "inpatient",
    "call": "call",
    "night_float": "night float",
    "leave": "leave",
    "off": "off",
}
_HEX = "0123456789abcdefABCDEF"


@dataclass(frozen=True, slots=True)
class ActivityStyle:
    code: str
    name: str
    category: str
    color: str


@dataclass(frozen=True, slots=True)
class LegendItem:
    code: str
    name: str
    category: str
    css: str


@dataclass(frozen=True, slots=True)
class DayColumn:
    day: date
    weekday: str
    label: str
    is_today: bool
    is_weekend: bool
    holiday: str | None


@dataclass(frozen=True, slots=True)
class GridCell:
    anchor: str
    day: date | None
    session: str
    code: str | None
    css: str
    title: str
    text: str = ""  # what the cell shows: the code, else the first shift tag
    tags: tuple[str, ...] = ()  # further shift tags, shown small
    leave: bool = False
    locked: bool = False
    flagged: bool = False
    edit_url: str | None = None


@dataclass(slots=True)
class GridRow:
    person_id: str
    name: str
    detail: str
    cells: list[GridCell]
    label: str = ""  # the row header in the person view (a week)


@dataclass(slots=True)
class GridGroup:
    key: str
    label: str
    rows: list[GridRow] = field(default_factory=list)


@dataclass(slots=True)
class GridView:
    days: list[DayColumn]
    groups: list[GridGroup]
    legend: list[LegendItem]
    style_rules: str
    people_shown: int
    filled_cells: int


@dataclass(frozen=True, slots=True)
class Flag:
    """Cells the compliance dashboard links to: a person (or everyone) over dates."""

    person: str | None
    first: date
    last: date
    session: str | None = None

    def covers(self, person: str, day: date, session: str) -> bool:
        return (
            (self.person is None or self.person == person)
            and self.first <= day <= self.last
            and (self.session is None or self.session == session)
        )


def safe_color(value: str) -> str:
    if len(value) == 7 and value[0] == "#" and all(ch in _HEX for ch in value[1:]):
        return value.lower()
    return "#cccccc"


def text_color(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (WCAG luminance)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def activity_classes(styles: dict[str, ActivityStyle]) -> dict[str, str]:
    return {code: f"a{index}" for index, code in enumerate(sorted(styles))}


def style_rules(styles: dict[str, ActivityStyle]) -> str:
    """One CSS rule per activity (`.a3{...}`): the colours come from validated hex only."""
    classes = activity_classes(styles)
    rules = []
    for code, css in classes.items():
        background = safe_color(styles[code].color)
        rules.append(f".{css}{{background-color:{background};color:{text_color(background)}}}")
    return "".join(rules)


def people_in_order(people: Iterable[PersonInfo]) -> list[PersonInfo]:
    """Residents grouped by PGY, then faculty; by name within each group."""
    return sorted(people, key=lambda p: (0 if p.is_resident else 1, p.pgy or 0, p.name.lower()))


def person_detail(person: PersonInfo) -> str:
    return f"PGY-{person.pgy}" if person.is_resident else "Faculty"


def group_of(person: PersonInfo) -> tuple[str, str]:
    if person.is_resident:
        return f"pgy{person.pgy}", f"PGY-{person.pgy} residents"
    return "faculty", "Faculty"


def select_people(
    snapshot: ScheduleSnapshot,
    role: str | None = None,
    pgy: int | None = None,
    person: str | None = None,
) -> list[PersonInfo]:
    chosen = []
    for info in snapshot.people.values():
        if person is not None and info.id != person:
            continue
        if role in ("resident", "faculty") and info.role != role:
            continue
        if pgy is not None and info.pgy != pgy:
            continue
        chosen.append(info)
    return people_in_order(chosen)


def cell_anchor(person: str, day: date, session: str) -> str:
    return f"c-{person}-{day.isoformat()}-{session}"


@dataclass
class _Index:
    """The snapshot's rows by (person, day, session), built once per grid."""

    slots: dict[tuple[str, date, str], tuple[str, bool]]
    leave: dict[str, set[date]]
    tags: dict[tuple[str, date, str], list[str]]

    @classmethod
    def of(cls, snapshot: ScheduleSnapshot) -> _Index:
        slots = {
            (a.person, a.date, str(a.session)): (a.activity, a.locked) for a in snapshot.assignments
        }
        leave: dict[str, set[date]] = defaultdict(set)
        for absence in snapshot.absences:
            if absence.status == "approved":
                leave[absence.person].update(absence.days())
        tags: dict[tuple[str, date, str], list[str]] = defaultdict(list)
        zone = snapshot.zone
        for shift in snapshot.shifts:
            tag = SHIFT_TAGS.get(shift.kind)
            if tag is None:
                continue
            for day, session in _shift_slots(
                shift.kind, shift.start.astimezone(zone), shift.end.astimezone(zone)
            ):
                if tag not in tags[(shift.person, day, session)]:
                    tags[(shift.person, day, session)].append(tag)
        return cls(slots, leave, tags)


def _shift_slots(kind: str, start: datetime, end: datetime) -> Iterable[tuple[date, str]]:
    """The cells a shift is shown in: every day of an FMIT week; otherwise the day it
    starts (AM and PM for a day start such as 24-h call, PM for an evening or a night)."""
    if kind == "fmit_week":
        day, last = start.date(), (end - timedelta(microseconds=1)).date()
        while day <= last:
            yield day, "AM"
            yield day, "PM"
            day += timedelta(days=1)
        return
    if start.hour < 12:
        yield start.date(), "AM"
    yield start.date(), "PM"


def day_columns(
    days: Iterable[date], today: date, holidays: dict[date, str], names: dict[date, str]
) -> list[DayColumn]:
    return [
        DayColumn(
            day=day,
            weekday=day.strftime("%a"),
            label=day.strftime("%d %b").lstrip("0"),
            is_today=day == today,
            is_weekend=day.weekday() in WEEKEND,
            holiday=names.get(day) or holidays.get(day),
        )
        for day in days
    ]


class _CellMaker:
    def __init__(
        self,
        snapshot: ScheduleSnapshot,
        styles: dict[str, ActivityStyle],
        today: date,
        flags: list[Flag],
        edit_url: Callable[[str, date, str], str] | None,
    ) -> None:
        self.index = _Index.of(snapshot)
        self.styles = styles
        self.classes = activity_classes(styles)
        self.today = today
        self.flags = flags
        self.edit_url = edit_url
        self.people = snapshot.people

    def cell(self, person: str, day: date, session: str) -> GridCell:
        held = self.index.slots.get((person, day, session))
        code, locked = held if held else (None, False)
        tags = tuple(self.index.tags.get((person, day, session), ()))
        shown = code if code is not None else (tags[0] if tags else None)
        leave = day in self.index.leave.get(person, ()) or (
            code is not None and code in self.styles and self.styles[code].category == "leave"
        )
        flagged = any(flag.covers(person, day, session) for flag in self.flags)
        css = ["cell", self.classes.get(shown, "shift" if shown else "empty") if shown else "empty"]
        if leave:
            css.append("lv")
        if locked:
            css.append("lk")
        if day == self.today:
            css.append("td")
        if day.weekday() in WEEKEND:
            css.append("we")
        if flagged:
            css.append("fl")
        if session == "AM":
            css.append("am")
        return GridCell(
            anchor=cell_anchor(person, day, session),
            day=day,
            session=session,
            code=code,
            css=" ".join(css),
            title=self._title(person, day, session, code, tags, leave, locked, flagged),
            text=shown or "",
            tags=tags if code is not None else tags[1:],
            leave=leave,
            locked=locked,
            flagged=flagged,
            edit_url=self.edit_url(person, day, session) if self.edit_url else None,
        )

    def _title(
        self,
        person: str,
        day: date,
        session: str,
        code: str | None,
        tags: tuple[str, ...],
        leave: bool,
        locked: bool,
        flagged: bool,
    ) -> str:
        info = self.people.get(person)
        parts = [f"{info.name if info else person}, {day.strftime('%a %d %b')} {session}"]
        if code is not None:
            style = self.styles.get(code)
            parts.append(f"{code} {style.name}" if style else code)
        elif not tags:
            parts.append("nothing scheduled")
        parts += [SHIFT_NAMES.get(tag, tag) for tag in tags]
        if leave:
            parts.append("on leave")
        if locked:
            parts.append("locked")
        if flagged:
            parts.append("flagged by compliance")
        return " · ".join(parts)


def legend_of(styles: dict[str, ActivityStyle]) -> list[LegendItem]:
    classes = activity_classes(styles)
    return [
        LegendItem(
            code, style.name, CATEGORY_NAMES.get(style.category, style.category), classes[code]
        )
        for code, style in sorted(styles.items(), key=lambda item: (item[1].category, item[0]))
    ]


def build_grid(
    snapshot: ScheduleSnapshot,
    styles: dict[str, ActivityStyle],
    days: list[date],
    people: list[PersonInfo],
    today: date,
    flags: list[Flag] | None = None,
    edit_url: Callable[[str, date, str], str] | None = None,
    holiday_names: dict[date, str] | None = None,
) -> GridView:
    """People in rows (grouped by PGY, then faculty), days in columns, AM and PM cells."""
    maker = _CellMaker(snapshot, styles, today, flags or [], edit_url)
    groups: dict[str, GridGroup] = {}
    filled = 0
    for person in people:
        key, label = group_of(person)
        group = groups.setdefault(key, GridGroup(key, label))
        cells = [maker.cell(person.id, day, session) for day in days for session in SESSIONS]
        filled += sum(1 for c in cells if c.code is not None)
        group.rows.append(GridRow(person.id, person.name, person_detail(person), cells))
    return GridView(
        days=day_columns(days, today, snapshot.holidays, holiday_names or {}),
        groups=list(groups.values()),
        legend=legend_of(styles),
        style_rules=style_rules(styles),
        people_shown=len(people),
        filled_cells=filled,
    )


def build_person_grid(
    snapshot: ScheduleSnapshot,
    styles: dict[str, ActivityStyle],
    person: PersonInfo,
    first: date,
    last: date,
    today: date,
    flags: list[Flag] | None = None,
    edit_url: Callable[[str, date, str], str] | None = None,
) -> GridView:
    """One person: a row per week (Monday to Sunday) from `first` to `last`."""
    maker = _CellMaker(snapshot, styles, today, flags or [], edit_url)
    monday = first - timedelta(days=first.weekday())
    group = GridGroup("weeks", person.name)
    filled = 0
    while monday <= last:
        cells = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            for session in SESSIONS:
                if first <= day <= last:
                    cell = maker.cell(person.id, day, session)
                    filled += cell.code is not None
                else:
                    cell = GridCell(
                        anchor=f"out-{day.isoformat()}-{session}",
                        day=None,
                        session=session,
                        code=None,
                        css="cell out",
                        title="outside the dates shown",
                    )
                cells.append(cell)
        label = f"Week of {monday.strftime('%d %b').lstrip('0')}"
        group.rows.append(GridRow(person.id, person.name, person_detail(person), cells, label))
        monday += timedelta(days=7)
    week_days = [monday - timedelta(days=7 - offset) for offset in range(7)]
    return GridView(
        days=[
            DayColumn(d, d.strftime("%a"), d.strftime("%A"), False, d.weekday() in WEEKEND, None)
            for d in week_days
        ],
        groups=[group],
        legend=legend_of(styles),
        style_rules=style_rules(styles),
        people_shown=1,
        filled_cells=filled,
    )


def dates_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def session_of(value: Any) -> str:
    return str(Session(value))
