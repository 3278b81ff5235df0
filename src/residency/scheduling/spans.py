"""Interval arithmetic on epoch-second spans: union, measure inside a day, overlap tests."""

from __future__ import annotations

from collections.abc import Iterable

from residency.scheduling.problem import Span


def union(spans: Iterable[Span]) -> list[Span]:
    """Disjoint, sorted union of half-open spans (touching spans unite)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def measure(spans: Iterable[Span], lo: int, hi: int) -> int:
    """Seconds of the union of `spans` inside [lo, hi)."""
    return sum(max(0, min(end, hi) - max(start, lo)) for start, end in union(spans))


def overlaps(spans: Iterable[Span], lo: int, hi: int) -> bool:
    """Whether any span overlaps [lo, hi) for a positive length."""
    return any(min(end, hi) > max(start, lo) for start, end in spans)


def starts_in(starts: Iterable[int], lo: int, hi: int) -> int:
    return sum(1 for start in starts if lo <= start < hi)
