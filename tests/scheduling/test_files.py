"""The schedule file round-trips, embeds a checkable timeline; the JSON Schemas are current."""

from __future__ import annotations

import json
from pathlib import Path

from residency.compliance import check_timeline, parse_document
from residency.scheduling.schedule_file import ScheduleFile
from residency.scheduling.schemas import SCHEMA_DIR, render, schema_documents
from tests.scheduling.conftest import SolvedYear


def test_schedule_file_round_trips(solved_year: SolvedYear) -> None:
    schedule = ScheduleFile.from_result(solved_year.program, solved_year.result)
    text = schedule.model_dump_json()
    again = ScheduleFile.model_validate_json(text)
    assert again == schedule
    data = json.loads(text)
    assert set(data) >= {
        "activities",
        "people",
        "rotation_plan",
        "assignments",
        "shifts",
        "timeline",
        "summary",
    }
    assert data["summary"]["status"] == "succeeded"
    assert {a["session"] for a in data["assignments"]} == {"AM", "PM"}
    fmit = next(a for a in data["activities"] if a["code"] == "FMIT")
    assert (fmit["am_start"], fmit["pm_end"]) == ("06:00:00", "18:00:00")


def test_schedule_file_timeline_passes_residency_check(solved_year: SolvedYear) -> None:
    schedule = ScheduleFile.from_result(solved_year.program, solved_year.result)
    timeline = parse_document(json.loads(schedule.model_dump_json()))
    assert check_timeline(timeline).errors == []
    kinds = {duty.kind for duty in timeline.duties}
    assert {"clinical", "education", "in_house_call", "night_float", "home_call"} <= kinds


def test_committed_schemas_are_current() -> None:
    for name, document in schema_documents().items():
        path = Path(SCHEMA_DIR) / name
        assert path.exists(), f"{path} missing: run python -m residency.scheduling.schemas"
        assert path.read_text() == render(document), (
            f"{path} is stale: run python -m residency.scheduling.schemas"
        )
