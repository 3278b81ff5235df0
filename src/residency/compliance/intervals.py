"""Vectorised interval kernels (NumPy): union, duty-period merging, per-day splitting, runs.

Intervals are `Spans`: parallel arrays of a row (a resident's index), a start and an end in
int64 epoch seconds, sorted by (row, start) unless said otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Spans:
    """Half-open intervals [start, end) of rows, as parallel int64 arrays."""

    row: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __len__(self) -> int:
        return int(self.row.shape[0])

    def take(self, index: np.ndarray) -> Spans:
        """The spans selected by a boolean mask or an index array."""
        return Spans(self.row[index], self.start[index], self.end[index])

    @property
    def length(self) -> np.ndarray:
        return self.end - self.start


def row_keys(row: np.ndarray, when: np.ndarray, origin: int, stride: int) -> np.ndarray:
    """Keys ``row * stride + (when - origin)``: ordered by row, then by time.

    `stride` must exceed every ``when - origin`` so that rows never interleave.
    """
    return row * np.int64(stride) + (when - np.int64(origin))


def sort_order(row: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Permutation sorting by (row, start)."""
    if row.size == 0:
        return np.zeros(0, dtype=np.int64)
    origin = int(start.min())
    stride = int(start.max()) - origin + 1
    if int(row.max()) + 1 > (2**62) // stride:
        return np.lexsort((start, row))
    return np.argsort(row_keys(row, start, origin, stride), kind="stable")


def union(spans: Spans) -> Spans:
    """Union of each row's intervals (sorted input); touching intervals unite."""
    if len(spans) == 0:
        return spans
    origin = int(spans.start.min())
    stride = int(spans.end.max()) - origin + 1
    reach = np.maximum.accumulate(row_keys(spans.row, spans.end, origin, stride))
    begins = np.empty(len(spans), dtype=bool)
    begins[0] = True
    begins[1:] = row_keys(spans.row[1:], spans.start[1:], origin, stride) > reach[:-1]
    first = np.flatnonzero(begins)
    last = np.append(first[1:] - 1, len(spans) - 1)
    row = spans.row[first]
    end = reach[last] - row * np.int64(stride) + np.int64(origin)
    return Spans(row, spans.start[first], end)


@dataclass(frozen=True)
class Periods:
    """Duty periods built from disjoint work blocks; `block_period` maps block -> period."""

    spans: Spans
    block_period: np.ndarray


def merge_periods(blocks: Spans, gap_seconds: float) -> Periods:
    """Merge each row's disjoint blocks while the gap to the next is under `gap_seconds`."""
    n = len(blocks)
    begins = np.ones(n, dtype=bool)
    if n > 1:
        same_row = blocks.row[1:] == blocks.row[:-1]
        short_gap = (blocks.start[1:] - blocks.end[:-1]) < gap_seconds
        begins[1:] = ~(same_row & short_gap)
    first = np.flatnonzero(begins)
    last = np.append(first[1:] - 1, n - 1) if n else first
    spans = Spans(blocks.row[first], blocks.start[first], blocks.end[last])
    return Periods(spans=spans, block_period=np.cumsum(begins) - 1)


def locate(periods: Spans, spans: Spans) -> np.ndarray:
    """Index of the period containing each span (each span lies inside one period)."""
    if len(spans) == 0:
        return np.zeros(0, dtype=np.int64)
    origin = min(int(periods.start.min()), int(spans.start.min()))
    stride = max(int(periods.end.max()), int(spans.end.max())) - origin + 1
    keys = row_keys(periods.row, periods.start, origin, stride)
    probes = row_keys(spans.row, spans.start, origin, stride)
    return np.searchsorted(keys, probes, side="right") - 1


def _clip(spans: Spans, midnights: np.ndarray) -> Spans:
    start = np.maximum(spans.start, midnights[0])
    end = np.minimum(spans.end, midnights[-1])
    keep = end > start
    return Spans(spans.row[keep], start[keep], end[keep])


def _day_range(spans: Spans, midnights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last local day index each (clipped, positive) span overlaps."""
    first = np.searchsorted(midnights, spans.start, side="right") - 1
    last = np.searchsorted(midnights, spans.end - 1, side="right") - 1
    return first, last


def _ranges_indicator(base: np.ndarray, lo: np.ndarray, hi: np.ndarray, size: int) -> np.ndarray:
    """Per flat cell, how many ranges [base + lo, base + hi) cover it (difference arrays)."""
    opens = np.bincount(base + lo, minlength=size + 1)
    closes = np.bincount(base + hi, minlength=size + 1)
    return np.cumsum(opens - closes)[:size]


def day_seconds(blocks: Spans, midnights: np.ndarray, n_rows: int) -> np.ndarray:
    """Seconds of the disjoint `blocks` inside each local day: an (n_rows, n_days) array.

    Blocks are split at local midnights; a day's real length is its midnight difference.
    """
    n_days = midnights.shape[0] - 1
    size = n_rows * n_days
    spans = _clip(blocks, midnights)
    first, last = _day_range(spans, midnights)
    base = spans.row * n_days
    head = np.minimum(spans.end, midnights[first + 1]) - spans.start
    total = np.bincount(base + first, weights=head, minlength=size)
    multi = last > first
    tail = (spans.end - midnights[last])[multi]
    total += np.bincount((base + last)[multi], weights=tail, minlength=size)
    full = last > first + 1
    whole = _ranges_indicator(base[full], first[full] + 1, last[full], size)
    total += whole * np.tile(np.diff(midnights), n_rows)
    return np.rint(total).astype(np.int64).reshape(n_rows, n_days)


def day_covered(spans: Spans, midnights: np.ndarray, n_rows: int) -> np.ndarray:
    """Whether any span overlaps each local day for a positive length: (n_rows, n_days)."""
    n_days = midnights.shape[0] - 1
    spans = _clip(spans, midnights)
    first, last = _day_range(spans, midnights)
    base = spans.row * n_days
    counts = _ranges_indicator(base, first, last + 1, n_rows * n_days)
    return (counts > 0).reshape(n_rows, n_days)


def day_counts(row: np.ndarray, day: np.ndarray, n_rows: int, n_days: int) -> np.ndarray:
    """How many events fall on each (row, day); days outside 0..n_days-1 are ignored."""
    inside = (day >= 0) & (day < n_days)
    flat = row[inside] * n_days + day[inside]
    return np.bincount(flat, minlength=n_rows * n_days).reshape(n_rows, n_days)


def window_sums(per_day: np.ndarray, width: int) -> np.ndarray:
    """Sums over `width` consecutive days: column k sums days k .. k + width - 1."""
    cumulative = np.zeros((per_day.shape[0], per_day.shape[1] + 1), dtype=per_day.dtype)
    np.cumsum(per_day, axis=1, out=cumulative[:, 1:])
    return cumulative[:, width:] - cumulative[:, :-width]


@dataclass(frozen=True)
class Runs:
    """Runs of consecutive True cells per row: row, first and last column, worst value."""

    row: np.ndarray
    first: np.ndarray
    last: np.ndarray
    worst: np.ndarray


def runs(mask: np.ndarray, values: np.ndarray, worst: np.ufunc) -> Runs:
    """Runs of consecutive True columns of each row, with `worst` reduced over each run."""
    n_rows, width = mask.shape
    padded = np.zeros((n_rows, width + 1), dtype=np.int8)
    padded[:, :width] = mask
    steps = np.diff(padded.ravel(), prepend=np.int8(0))
    starts = np.flatnonzero(steps == 1)
    stops = np.flatnonzero(steps == -1)
    padded_values = np.zeros((n_rows, width + 1), dtype=values.dtype)
    padded_values[:, :width] = values
    bounds = np.column_stack((starts, stops)).ravel()
    reduced = worst.reduceat(padded_values.ravel(), bounds)[::2] if starts.size else starts
    return Runs(
        row=starts // (width + 1),
        first=starts % (width + 1),
        last=stops % (width + 1) - 1,
        worst=reduced,
    )
