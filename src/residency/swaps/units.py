"""What each kind of swap exchanges (pure).

A swap exchanges two people's rows over a set of units (changes/rows.py, `exchange`):

- **FMIT week** from Friday F: every slot of F..F+6 and of the recovery Friday F+7, the
  `fmit_week` shift starting F, and the faculty call shifts of F..F+6. The recovery
  Friday is included so the new attending's clinic that day moves to the old one
  (ACGME.md `fmit_week`: no clinic on the Friday after the week).
- **Call night** N: the call shift starting N. For faculty (`faculty_call`, home call)
  also the post-call morning N+1 AM (`post_call`: no clinic then). For residents
  (`call`, 24-h in-house) also both slots of N and N+1: the call day's and the post-call
  day's rows belong with the call (`rest_after_24`). [The design said "reassign the
  shift rows"; moving the shift without the day it spans would leave the call activity
  with the old owner and give the new one a call on top of a full day.]
- **Clinic session**: the one slot (date, AM|PM).

The *key* unit is what a person must hold to offer (or to be asked for) it: the FMIT
week's shift, the call night's shift, the clinic slot (holding a clinic activity).
"""

from __future__ import annotations

from datetime import date, timedelta

from residency.changes.rows import SESSIONS, ScheduleState, Units, slot_units
from residency.core.calendar import FMIT_WEEK_START, Session
from residency.swaps.kinds import SwapKind

FMIT_DAYS = 7


def call_kind(role: str) -> str:
    """The shift kind of a call night: residents take in-house call, faculty home call."""
    return "call" if role == "resident" else "faculty_call"


def units_for(kind: SwapKind, role: str, day: date, session: Session | None) -> Units:
    if kind is SwapKind.CLINIC_SESSION:
        assert session is not None
        return slot_units(day, (session,))
    if kind is SwapKind.CALL_NIGHT:
        shift = call_kind(role)
        if shift == "call":
            return (
                Units(shifts=frozenset({(shift, day)}))
                | slot_units(day)
                | slot_units(day + timedelta(days=1))
            )
        return Units(shifts=frozenset({(shift, day)})) | slot_units(
            day + timedelta(days=1), (Session.AM,)
        )
    days = [day + timedelta(days=n) for n in range(FMIT_DAYS + 1)]
    return Units(
        slots=frozenset((d, s) for d in days for s in SESSIONS),
        shifts=frozenset({("fmit_week", day)})
        | frozenset(("faculty_call", d) for d in days[:FMIT_DAYS]),
    )


def holds(
    state: ScheduleState, kind: SwapKind, role: str, person: str, day: date, session: Session | None
) -> bool:
    """Whether `person` holds the key unit of a `kind` swap on `day` (and `session`)."""
    if kind is SwapKind.CLINIC_SESSION:
        assert session is not None
        slot = state.slot_of(person, day, session)
        return slot is not None and state.catalogue.activities[slot.activity].is_clinic
    if kind is SwapKind.CALL_NIGHT:
        return state.shift_of(person, call_kind(role), day) is not None
    return state.shift_of(person, "fmit_week", day) is not None


def is_fmit_start(day: date) -> bool:
    return day.weekday() == FMIT_WEEK_START
