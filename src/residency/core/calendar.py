"""Academic years, blocks, slots, FMIT weeks and holidays (DESIGN.md, "Time model").

Everything here is pure date arithmetic in the program's local calendar.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

BLOCK_COUNT = 13
BLOCK_DAYS = 28
ORIENTATION_BLOCK = 0
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FMIT_WEEK_START = 4  # Friday: a faculty FMIT week runs Friday to Thursday


class Session(enum.StrEnum):
    """A half-day session: a slot is one (date, session)."""

    AM = "AM"
    PM = "PM"


@dataclass(frozen=True, slots=True)
class BlockSpan:
    """Block `number` covers the inclusive local dates `start`..`end`."""

    number: int
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def days(self) -> Iterator[date]:
        return iter_days(self.start, self.end)


def weekday_number(name: str) -> int:
    """Monday=0 … Sunday=6 from an English weekday name."""
    return WEEKDAYS.index(name.lower())


def iter_days(start: date, end: date) -> Iterator[date]:
    """Every date from `start` through `end`, inclusive."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def academic_year_bounds(start_year: int) -> tuple[date, date]:
    """An academic year runs 1 July `start_year` to 30 June the next year."""
    return date(start_year, 7, 1), date(start_year + 1, 6, 30)


def academic_year_of(day: date) -> int:
    """The start year of the academic year that contains `day`."""
    return day.year if day.month >= 7 else day.year - 1


def first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def generate_blocks(start_year: int, block_weekday: int) -> list[BlockSpan]:
    """The 13 blocks of 28 days, plus orientation (block 0) when needed.

    Block 1 starts on the first block weekday on or after 1 July; days before
    it are orientation. Blocks 1-12 last 28 days; block 13 ends on 30 June,
    so it absorbs (or gives up) the days the weekday alignment leaves over.
    """
    year_start, year_end = academic_year_bounds(start_year)
    first = first_on_or_after(year_start, block_weekday)
    spans: list[BlockSpan] = []
    if first > year_start:
        spans.append(BlockSpan(ORIENTATION_BLOCK, year_start, first - timedelta(days=1)))
    for number in range(1, BLOCK_COUNT + 1):
        start = first + timedelta(days=(number - 1) * BLOCK_DAYS)
        end = year_end if number == BLOCK_COUNT else start + timedelta(days=BLOCK_DAYS - 1)
        spans.append(BlockSpan(number, start, end))
    return spans


def block_of(day: date, spans: list[BlockSpan]) -> BlockSpan | None:
    return next((span for span in spans if span.contains(day)), None)


def fmit_week_start(day: date) -> date:
    """The Friday that starts the FMIT week containing `day`."""
    return day - timedelta(days=(day.weekday() - FMIT_WEEK_START) % 7)


def fmit_weeks(start: date, end: date) -> list[date]:
    """Fridays of every FMIT week (Friday-Thursday) that starts within start..end."""
    friday = first_on_or_after(start, FMIT_WEEK_START)
    return [friday + timedelta(weeks=n) for n in range(((end - friday).days // 7) + 1)]


def federal_holidays(start_year: int) -> dict[date, str]:
    """US federal holidays (observed dates) falling inside the academic year."""
    year_start, year_end = academic_year_bounds(start_year)
    calendar = holidays.country_holidays("US", years=[start_year, start_year + 1], observed=True)
    return {day: name for day, name in sorted(calendar.items()) if year_start <= day <= year_end}


def local_datetime(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a local date, as an aware datetime in `zone`."""
    return datetime.combine(day, clock, tzinfo=zone)


def session_interval(
    day: date, start: time, end: time, zone: ZoneInfo
) -> tuple[datetime, datetime]:
    """The real interval of a session; an end at or before the start is the next day."""
    begin = local_datetime(day, start, zone)
    finish_day = day if end > start else day + timedelta(days=1)
    return begin, local_datetime(finish_day, end, zone)
