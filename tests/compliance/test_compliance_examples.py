"""shared/examples: every timeline produces exactly its .expected.json (message aside)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from residency.compliance import check_timeline, parse_timeline, to_report


def examples_dir() -> Path:
    """The shared/examples directory, found by walking up from this file."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "examples"
        if candidate.is_dir():
            return candidate
    pytest.fail("shared/examples not found above tests/compliance (expected /work/shared)")


def example_names() -> list[str]:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "examples"
        if candidate.is_dir():
            return sorted(
                p.name.removesuffix(".expected.json") for p in candidate.glob("*.expected.json")
            )
    return ["<shared/examples missing>"]


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_examples_exist() -> None:
    assert len(list(examples_dir().glob("*.expected.json"))) >= 2


@pytest.mark.parametrize("name", example_names())
def test_example_matches_expected(name: str) -> None:
    directory = examples_dir()
    expected = _load(directory / f"{name}.expected.json")["violations"]
    actual = to_report(check_timeline(parse_timeline(_load(directory / f"{name}.json"))))
    got = actual["violations"]
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        assert set(mine) >= set(theirs)
        for key in ("rule", "person", "severity", "start", "end"):
            assert mine[key] == theirs[key], key
        assert mine["value"] == pytest.approx(theirs["value"], abs=1e-9)
        assert mine["limit"] == pytest.approx(theirs["limit"], abs=1e-9)
        assert isinstance(mine["message"], str)
        assert mine["message"]
