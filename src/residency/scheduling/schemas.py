"""Write the program and schedule files' JSON Schemas: `python -m residency.scheduling.schemas`.

The schemas live in `schemas/` at the repository root; a test fails when they are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from residency.core.program_file import ProgramFile
from residency.scheduling.schedule_file import ScheduleFile

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"
BASE_ID = ""  # relative ids, as duty-timeline.schema.json: resolved by file name
TIMELINE_SCHEMA = "duty-timeline.schema.json"


def schema_documents() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema document."""
    return {
        "program.schema.json": _document(ProgramFile, "program.schema.json", "Program file"),
        "schedule.schema.json": _document(ScheduleFile, "schedule.schema.json", "Schedule file"),
    }


def _document(model: type[Any], name: str, title: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    timeline = schema.get("properties", {}).get("timeline")
    if timeline is not None:  # the embedded timeline is the shared duty-timeline schema
        schema["properties"]["timeline"] = {
            "$ref": TIMELINE_SCHEMA,
            "description": timeline["description"],
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_ID + name,
        **schema,
        "title": title,
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in schema_documents().items():
        path = directory / name
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else SCHEMA_DIR
    for path in write_schemas(directory):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
