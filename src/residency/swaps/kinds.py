"""Vocabularies of swaps: what is swapped, how it is offered, where it stands."""

from __future__ import annotations

import enum


class SwapKind(enum.StrEnum):
    FMIT_WEEK = "fmit_week"  # a faculty FMIT week, Friday to Thursday
    CALL_NIGHT = "call_night"  # a faculty (home) or resident (24-h in-house) call night
    CLINIC_SESSION = "clinic_session"  # one AM or PM clinic slot


class SwapMode(enum.StrEnum):
    DIRECTED = "directed"  # a request to a named person
    OFFER = "offer"  # an open offer any eligible person can claim


class SwapStatus(enum.StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    APPROVED = "approved"
    EXECUTED = "executed"
    DECLINED = "declined"  # by the counterparty
    DENIED = "denied"  # by a coordinator or chief
    CANCELLED = "cancelled"  # by the requester (or a coordinator)
    EXPIRED = "expired"  # its first date passed before it was executed
    ROLLED_BACK = "rolled_back"


OPEN_STATUSES = frozenset({SwapStatus.REQUESTED, SwapStatus.ACCEPTED, SwapStatus.APPROVED})
