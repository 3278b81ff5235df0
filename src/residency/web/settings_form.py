"""The program settings form, generated from `ProgramSettings` (so it never drifts).

Every scalar setting becomes a labelled input: numbers, times, yes/no, a choice among a
fixed set; a list of choices becomes a group of checkboxes; the PGY -> count map becomes
one number per PGY. Posted values are converted back to the nested shape and validated
by `ProgramSettings` itself, whose errors land next to their inputs.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from pydantic import BaseModel
from starlette.datastructures import FormData

from residency.core.settings import ProgramSettings

LABELS = {
    "sessions": "Session times",
    "duty_hours": "Duty-hour limits",
    "supervision": "Supervision in clinic",
    "protected_education": "Protected didactics",
    "swaps": "Swaps and changes",
    "objective": "Solver priorities (weights)",
    "am_start": "AM starts",
    "am_end": "AM ends",
    "pm_start": "PM starts",
    "pm_end": "PM ends",
    "max_weekly_hours": "Weekly hours limit (28-day average)",
    "min_free_days_per_28": "Free days in 28",
    "max_continuous_hours": "Longest continuous duty (hours)",
    "pgy1_max_continuous_hours": "Longest continuous duty for PGY-1 (hours)",
    "max_transition_hours": "Transition time after 24 hours (hours)",
    "min_rest_after_24_hours": "Rest after 24 hours (hours)",
    "min_rest_between_hours": "Rest between duty periods (hours)",
    "call_every_nth_night": "In-house call at most every Nth night",
    "max_consecutive_night_float": "Consecutive night-float nights, at most",
    "period_merge_gap_hours": "Gaps shorter than this join duty periods (hours)",
    "pgy1_units": "Units of a PGY-1",
    "senior_units": "Units of a PGY-2 or above",
    "procedure_units": "Units of a resident doing procedures",
    "units_per_supervisor": "Units one preceptor supervises",
    "enabled": "Protect a weekly didactics session",
    "weekday": "Weekday",
    "session": "Session",
    "clinic_rooms": "Clinic rooms",
    "reduced_day_capacity_factor": "Capacity on a reduced day (fraction)",
    "covered_call_nights": "Nights with one faculty on call",
    "resident_call_nights": "Nights with 24-hour resident in-house call",
    "continuity_clinic_per_week": "Continuity clinic half-days a week, by PGY",
    "fmit_faculty_roles": "Faculty roles that attend FMIT weeks",
    "fmit_weeks_per_faculty": "FMIT weeks per faculty member",
    "away_days_warn": "Away days a year before a warning",
    "away_days_flag": "Away days a year before a flag",
    "approval_required": "A coordinator approves swaps",
    "rollback_window_hours": "Rollback allowed within (hours)",
    "freeze_window_days": "Freeze window (days): changes inside it need a reason",
}


@dataclass
class SettingField:
    name: str
    label: str
    kind: str  # bool | int | float | time | choice | multi | pgy_map
    value: Any
    hint: str = ""
    optional: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SettingGroup:
    key: str
    title: str
    fields: list[SettingField] = field(default_factory=list)


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type without `None`, whether None is allowed)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner, _ = _unwrap(args[0])
        return inner, True
    return annotation, False


def _choices(kind: Any) -> list[tuple[str, str]] | None:
    if typing.get_origin(kind) is typing.Literal:
        return [
            (str(v), str(v) if str(v).isupper() else str(v).replace("_", " ").capitalize())
            for v in typing.get_args(kind)
        ]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [(str(m.value), str(m.value).replace("_", " ").upper()) for m in kind]
    return None


def _field(name: str, annotation: Any, value: Any, description: str | None) -> SettingField:
    kind, optional = _unwrap(annotation)
    origin = typing.get_origin(kind)
    short = name.rsplit(".", 1)[-1]
    hint = "" if short in LABELS else (description or "").replace("`", "")
    if kind is bool:
        return SettingField(name, _label(name.rsplit(".", 1)[-1]), "bool", value, hint)
    if kind is int:
        return SettingField(name, _label(name.rsplit(".", 1)[-1]), "int", value, hint, optional)
    if kind is float:
        return SettingField(name, _label(name.rsplit(".", 1)[-1]), "float", value, hint, optional)
    if kind is time:
        shown = value.strftime("%H:%M") if isinstance(value, time) else value
        return SettingField(name, _label(name.rsplit(".", 1)[-1]), "time", shown, hint)
    choices = _choices(kind)
    if choices is not None:
        shown = value.value if isinstance(value, enum.Enum) else value
        return SettingField(
            name, _label(name.rsplit(".", 1)[-1]), "choice", shown, hint, optional, choices
        )
    if origin is list:
        item_choices = _choices(typing.get_args(kind)[0]) or []
        shown = [v.value if isinstance(v, enum.Enum) else str(v) for v in value]
        return SettingField(
            name, _label(name.rsplit(".", 1)[-1]), "multi", shown, hint, options=item_choices
        )
    if origin is dict:
        return SettingField(name, _label(name.rsplit(".", 1)[-1]), "pgy_map", dict(value), hint)
    raise TypeError(f"no form input for setting {name} ({annotation!r})")


def settings_groups(settings: ProgramSettings) -> list[SettingGroup]:
    general = SettingGroup("general", "Clinic, call and leave")
    groups: list[SettingGroup] = [general]
    for name, info in ProgramSettings.model_fields.items():
        value = getattr(settings, name)
        if isinstance(value, BaseModel):
            group = SettingGroup(name, _label(name))
            for sub_name, sub_info in type(value).model_fields.items():
                group.fields.append(
                    _field(
                        f"{name}.{sub_name}",
                        sub_info.annotation,
                        getattr(value, sub_name),
                        sub_info.description,
                    )
                )
            groups.append(group)
        else:
            general.fields.append(_field(name, info.annotation, value, info.description))
    return groups


def _convert(field_: SettingField, form: FormData) -> Any:
    raw = form.get(field_.name)
    text = raw.strip() if isinstance(raw, str) else ""
    if field_.kind == "bool":
        return text in ("on", "true", "1")
    if field_.kind == "multi":
        return [v for v in form.getlist(field_.name) if isinstance(v, str)]
    if field_.kind == "pgy_map":
        found: dict[int, Any] = {}
        for pgy in field_.value:
            entry = form.get(f"{field_.name}.{pgy}")
            entry_text = entry.strip() if isinstance(entry, str) else ""
            if entry_text:
                found[int(pgy)] = _number(entry_text, integer=True)
        return found
    if text == "":
        return None if field_.optional else ""
    if field_.kind == "int":
        return _number(text, integer=True)
    if field_.kind == "float":
        return _number(text, integer=False)
    return text


def _number(text: str, *, integer: bool) -> Any:
    try:
        number = float(text)
    except ValueError:
        return text  # validation names it
    if integer:
        return int(number) if number.is_integer() else text
    return number


def settings_from_form(groups: list[SettingGroup], form: FormData) -> dict[str, Any]:
    """The nested settings dict of the posted form (validated by `ProgramSettings`)."""
    values: dict[str, Any] = {}
    for group in groups:
        for field_ in group.fields:
            value = _convert(field_, form)
            if "." in field_.name:
                outer, inner = field_.name.split(".", 1)
                values.setdefault(outer, {})[inner] = value
            else:
                values[field_.name] = value
    return values


def refill(groups: list[SettingGroup], values: dict[str, Any]) -> None:
    """Show the posted values again after a refusal."""
    for group in groups:
        for field_ in group.fields:
            if "." in field_.name:
                outer, inner = field_.name.split(".", 1)
                value = values.get(outer, {}).get(inner)
            else:
                value = values.get(field_.name)
            if field_.kind == "pgy_map" and isinstance(value, dict):
                field_.value = {**field_.value, **value}
            elif value is not None or field_.optional:
                field_.value = value
