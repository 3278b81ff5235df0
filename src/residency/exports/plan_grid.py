"""The rotation plan as the resident x block grid coordinators keep in Excel.

`plan_workbook` writes it; `read_plan_grid` reads one back, matching residents and
rotations by name or abbreviation (case-insensitively, near misses suggested) and
reporting every unknown name, ineligible rotation and capacity breach by its cell
address. Nothing here writes to a database: the caller applies a clean result at once.
"""

from __future__ import annotations

import difflib
import io
from collections import Counter
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from residency.core.schedule import PersonInfo, PlanEntry, RotationInfo

SHEET = "Rotation plan"
FIRST_BLOCK_COLUMN = 3  # A: resident, B: PGY, C..: blocks
SUGGESTIONS = 3


def block_label(number: int) -> str:
    return "Orientation" if number == 0 else f"Block {number}"


def plan_workbook(
    residents: list[PersonInfo],
    rotations: dict[str, RotationInfo],
    plan: list[PlanEntry],
    block_numbers: list[int],
) -> bytes:
    """The plan grid as XLSX bytes: a row per resident, a column per block."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    headers = ["Resident", "PGY", *(block_label(n) for n in block_numbers)]
    for column, title in enumerate(headers, start=1):
        sheet.cell(1, column, title).font = Font(bold=True)
    whole = {(e.person, e.block): e.rotation for e in plan if e.half == 0}
    for row, person in enumerate(residents, start=2):
        sheet.cell(row, 1, person.name)
        sheet.cell(row, 2, person.pgy)
        for offset, number in enumerate(block_numbers):
            rotation = whole.get((person.id, number))
            sheet.cell(row, FIRST_BLOCK_COLUMN + offset, rotation)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class GridProblem:
    """One reason the grid cannot be applied, located by its cell (e.g. `D7`)."""

    cell: str
    reason: str
    suggestions: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"cell": self.cell, "reason": self.reason, "suggestions": list(self.suggestions)}


@dataclass
class GridReading:
    entries: list[PlanEntry] = field(default_factory=list)
    problems: list[GridProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Matcher:
    """Case-insensitive lookup by any of several names, with close-match suggestions."""

    def __init__(self, names: dict[str, str]) -> None:
        self.by_name = {name.strip().casefold(): key for name, key in names.items()}
        self.display = {name.strip().casefold(): name for name in names}

    def find(self, text: str) -> str | None:
        return self.by_name.get(text.strip().casefold())

    def suggest(self, text: str) -> tuple[str, ...]:
        close = difflib.get_close_matches(text.strip().casefold(), self.by_name, SUGGESTIONS, 0.6)
        return tuple(self.display[name] for name in close)


def read_plan_grid(
    content: bytes,
    residents: list[PersonInfo],
    rotations: dict[str, RotationInfo],
    block_numbers: list[int],
) -> GridReading:
    """Every entry of the grid, or every problem found in it (dry run)."""
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        return GridReading(problems=[GridProblem("A1", f"not a readable .xlsx file ({error})")])
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    return _GridReader(residents, rotations).read(sheet, block_numbers)


class _GridReader:
    def __init__(self, residents: list[PersonInfo], rotations: dict[str, RotationInfo]) -> None:
        self.people = _Matcher({p.name: p.id for p in residents})
        names = {r.name: r.abbreviation for r in rotations.values()}
        names.update({r.abbreviation: r.abbreviation for r in rotations.values()})
        self.rotation_names = _Matcher(names)
        self.by_id = {p.id: p for p in residents}
        self.rotations = rotations
        self.reading = GridReading()

    def read(self, sheet: Worksheet, block_numbers: list[int]) -> GridReading:
        columns = self._block_columns(sheet, block_numbers)
        for row in range(2, (sheet.max_row or 1) + 1):
            self._read_row(sheet, row, columns)
        self.reading.problems += _capacity_problems(self.reading.entries, self.rotations, columns)
        return self.reading

    def _problem(self, cell: str, reason: str, suggestions: tuple[str, ...] = ()) -> None:
        self.reading.problems.append(GridProblem(cell, reason, suggestions))

    def _block_columns(self, sheet: Worksheet, block_numbers: list[int]) -> dict[int, int]:
        """Column -> block number, from the header ("Block 3", "3" or "Orientation")."""
        labels = {block_label(n).casefold(): n for n in block_numbers}
        labels.update({str(n): n for n in block_numbers})
        columns: dict[int, int] = {}
        for column in range(FIRST_BLOCK_COLUMN, (sheet.max_column or 0) + 1):
            text = str(sheet.cell(1, column).value or "").strip()
            if text and text.casefold() in labels:
                columns[column] = labels[text.casefold()]
            elif text:
                self._problem(f"{get_column_letter(column)}1", f"unknown block '{text}'")
        return columns

    def _read_row(self, sheet: Worksheet, row: int, columns: dict[int, int]) -> None:
        name = str(sheet.cell(row, 1).value or "").strip()
        if not name:
            return
        person_id = self.people.find(name)
        if person_id is None:
            self._problem(f"A{row}", f"unknown resident '{name}'", self.people.suggest(name))
            return
        for column, block in columns.items():
            text = str(sheet.cell(row, column).value or "").strip()
            if text:
                self._read_cell(f"{get_column_letter(column)}{row}", text, person_id, block)

    def _read_cell(self, address: str, text: str, person_id: str, block: int) -> None:
        abbreviation = self.rotation_names.find(text)
        if abbreviation is None:
            self._problem(address, f"unknown rotation '{text}'", self.rotation_names.suggest(text))
            return
        person, rotation = self.by_id[person_id], self.rotations[abbreviation]
        if person.pgy not in rotation.eligible_pgy:
            self._problem(
                address, f"{rotation.name} does not accept PGY-{person.pgy} ({person.name})"
            )
            return
        self.reading.entries.append(PlanEntry(person_id, block, abbreviation))


def _capacity_problems(
    entries: list[PlanEntry], rotations: dict[str, RotationInfo], columns: dict[int, int]
) -> list[GridProblem]:
    header = {block: f"{get_column_letter(column)}1" for column, block in columns.items()}
    counts = Counter((e.block, e.rotation) for e in entries)
    problems = []
    for block in sorted(header):
        if block == 0:
            continue
        for rotation in rotations.values():
            count = counts[(block, rotation.abbreviation)]
            if not rotation.min_residents <= count <= rotation.max_residents:
                problems.append(
                    GridProblem(
                        header[block],
                        f"{block_label(block)}: {count} resident(s) on {rotation.name}, "
                        f"allowed {rotation.min_residents}..{rotation.max_residents}",
                    )
                )
    return problems
