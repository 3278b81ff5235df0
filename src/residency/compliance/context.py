"""Prepared arrays shared by the rules: residents' duties sorted, union, duty periods, windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np

from residency.compliance import arrays as codes
from residency.compliance.arrays import DutyArrays, Roster
from residency.compliance.intervals import (
    Periods,
    Spans,
    locate,
    merge_periods,
    sort_order,
    union,
)
from residency.compliance.localtime import LocalCalendar, local_date
from residency.compliance.result import Severity, Violation
from residency.compliance.settings import RuleSettings

WINDOW_DAYS = 28
HOUR = 3600
WORK_KINDS = np.array([code != codes.HOME_CALL for code in range(len(codes.KIND_CODES))])
CONTINUOUS_KINDS = WORK_KINDS & (np.arange(len(codes.KIND_CODES)) != codes.TRANSITION)


def default_period(duties: DutyArrays, zone: ZoneInfo) -> tuple[date, date] | None:
    """Local date of the earliest duty start through that of the latest duty end."""
    if len(duties) == 0:
        return None
    return local_date(int(duties.start.min()), zone), local_date(int(duties.end.max()), zone)


def window_dates(period: tuple[date, date]) -> tuple[date, int]:
    """First window date and the number of windows W(d), d = P.start .. max(P.start, P.end-27)."""
    start, end = period
    last = max(start, end - timedelta(days=WINDOW_DAYS - 1))
    return start, (last - start).days + 1


@dataclass(frozen=True)
class Windows:
    """The 28-day windows: `count` start days, `midnights` of days 0 .. count + 27 (+ end)."""

    first: date
    count: int
    midnights: np.ndarray

    @property
    def n_days(self) -> int:
        return self.count + WINDOW_DAYS - 1


class EngineContext:
    """Residents' duties sorted by (row, start), plus lazily derived unions and periods.

    A row is a resident's position among the roster's residents.
    """

    def __init__(
        self,
        roster: Roster,
        duties: DutyArrays,
        zone: ZoneInfo,
        settings: RuleSettings,
        period: tuple[date, date] | None,
    ) -> None:
        duties.validate(len(roster))
        self.zone = zone
        self.settings = settings
        self.period = period or default_period(duties, zone)
        members = np.flatnonzero(roster.is_resident)
        self.resident_ids: tuple[str, ...] = tuple(roster.ids[i] for i in members)
        self.pgy: np.ndarray = roster.pgy[members]
        row_of = np.full(len(roster), -1, dtype=np.int64)
        row_of[members] = np.arange(members.size)
        rows = row_of[duties.person]
        keep = np.flatnonzero(rows >= 0)
        order = keep[sort_order(rows[keep], duties.start[keep])]
        self.row = rows[order]
        self.start = duties.start[order]
        self.end = duties.end[order]
        self.kind = duties.kind[order]
        self.calendar = self._calendar(duties)

    @property
    def n_rows(self) -> int:
        return len(self.resident_ids)

    def _calendar(self, duties: DutyArrays) -> LocalCalendar:
        days: list[date] = []
        if self.period is not None:
            first, count = window_dates(self.period)
            days += [first, first + timedelta(days=count + WINDOW_DAYS - 1), self.period[1]]
        if len(duties):
            days += [local_date(int(duties.start.min()), self.zone)]
            days += [local_date(int(duties.end.max()), self.zone)]
        if not days:
            days = [date(1970, 1, 1)]
        return LocalCalendar.build(self.zone, min(days), max(days))

    @property
    def duties(self) -> Spans:
        """Every duty of the residents, any kind, sorted by (row, start)."""
        return Spans(self.row, self.start, self.end)

    def spans(self, kinds: np.ndarray) -> Spans:
        """Residents' duties whose kind code is flagged in the boolean table `kinds`."""
        mask = kinds[self.kind]
        return Spans(self.row[mask], self.start[mask], self.end[mask])

    def of_kind(self, code: int) -> Spans:
        """Residents' duties of one kind."""
        mask = self.kind == code
        return Spans(self.row[mask], self.start[mask], self.end[mask])

    @cached_property
    def work(self) -> Spans:
        """Union of each resident's work intervals (every kind but home_call)."""
        return union(self.spans(WORK_KINDS))

    @cached_property
    def periods(self) -> Periods:
        """Duty periods: work blocks merged while the gap is under the merge gap."""
        return merge_periods(self.work, self.settings.period_merge_gap_hours * HOUR)

    @cached_property
    def continuous_seconds(self) -> np.ndarray:
        """Per duty period, seconds of non-transition work (overlaps counted once)."""
        blocks = union(self.spans(CONTINUOUS_KINDS))
        where = locate(self.periods.spans, blocks)
        n = len(self.periods.spans)
        return np.bincount(where, weights=blocks.length, minlength=n).astype(np.int64)

    @cached_property
    def windows(self) -> Windows | None:
        """The 28-day windows of the evaluation period (None without a period)."""
        if self.period is None:
            return None
        first, count = window_dates(self.period)
        offset = self.calendar.index_of(first)
        mids = self.calendar.midnights[offset : offset + count + WINDOW_DAYS]
        return Windows(first=first, count=count, midnights=mids)

    def when(self, epoch: int | np.integer) -> datetime:
        """An epoch second as an aware datetime in the timeline's zone."""
        return datetime.fromtimestamp(int(epoch), tz=self.zone)

    def finding(
        self,
        rule: str,
        row: int | np.integer,
        span: tuple[int | np.integer, int | np.integer],
        value: float,
        limit: float,
        message: str,
        severity: Severity = "violation",
    ) -> Violation:
        """A `Violation` of resident `row` over the epoch span, value/limit rounded."""
        return Violation(
            rule=rule,
            person=self.resident_ids[int(row)],
            severity=severity,
            start=self.when(span[0]),
            end=self.when(span[1]),
            value=round(float(value), 2),
            limit=round(float(limit), 2),
            message=message,
        )
