"""Local calendar days of the timeline's zone as epoch seconds (zoneinfo, DST-aware)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

DAY = timedelta(days=1)


def local_midnight(day: date, zone: ZoneInfo) -> int:
    """Epoch seconds at which the local calendar day `day` begins in `zone`.

    Where midnight does not exist (a DST gap at 00:00) the day begins when the gap ends;
    where it repeats, at its first occurrence (zoneinfo's ``fold=0``).
    """
    return int(datetime.combine(day, time(0), tzinfo=zone).timestamp())


def local_date(epoch: int, zone: ZoneInfo) -> date:
    """The local calendar date of an instant."""
    return datetime.fromtimestamp(epoch, tz=zone).date()


@dataclass(frozen=True)
class LocalCalendar:
    """Consecutive local days ``first .. first + n_days - 1`` and their midnights.

    ``midnights[i]`` is the epoch second at which day ``first + i`` begins; it has
    ``n_days + 1`` entries so ``midnights[i + 1] - midnights[i]`` is the day's real length
    (23, 24 or 25 hours across DST changes).
    """

    zone: ZoneInfo
    first: date
    midnights: np.ndarray

    @classmethod
    def build(cls, zone: ZoneInfo, first: date, last: date) -> LocalCalendar:
        """The calendar of the local days ``first`` through ``last`` inclusive."""
        count = (last - first).days + 2
        mids = [local_midnight(first + i * DAY, zone) for i in range(max(count, 1))]
        return cls(zone=zone, first=first, midnights=np.asarray(mids, dtype=np.int64))

    @property
    def n_days(self) -> int:
        return int(self.midnights.shape[0]) - 1

    def index_of(self, day: date) -> int:
        """Index of a local date (may fall outside ``0 .. n_days - 1``)."""
        return (day - self.first).days

    def date_at(self, index: int) -> date:
        """Local date of a day index."""
        return self.first + int(index) * DAY

    def day_of(self, epochs: np.ndarray) -> np.ndarray:
        """Day index of the local day containing each instant (-1 / n_days when outside)."""
        return np.searchsorted(self.midnights, epochs, side="right") - 1

    def midnight(self, index: int) -> int:
        """Epoch of the start of day `index` (``index == n_days`` gives the end)."""
        return int(self.midnights[index])
