"""Build and solve one block model: the rule families in order, then the objective."""

from __future__ import annotations

from residency.scheduling import faculty_rules, objectives, resident_rules
from residency.scheduling.block_model import BlockInputs, BlockModel, Horizon
from residency.scheduling.runner import Checkpoint, no_checkpoint


def build_block_model(
    inputs: BlockInputs,
    horizon: Horizon,
    explain: bool = False,
    checkpoint: Checkpoint = no_checkpoint,
) -> BlockModel:
    """The block model of `horizon`; with `explain`, every rule behind an assumption.

    `checkpoint` is called between the rule families (a cancel can stop the build).
    """
    bm = BlockModel(inputs, horizon, explain)
    bm.create_resident_days()
    checkpoint()
    resident_rules.add_post_call_rest(bm)
    resident_rules.add_duty_period_rules(bm)
    checkpoint()
    terms = {person: resident_rules.day_terms(bm, days) for person, days in bm.residents.items()}
    checkpoint()
    resident_rules.add_hours_80(bm, terms)
    resident_rules.add_day_off(bm, terms)
    resident_rules.add_call_frequency(bm, terms)
    resident_rules.add_night_float_limit(bm, terms)
    resident_rules.add_resident_call_coverage(bm)
    checkpoint()
    faculty_rules.create_faculty_vars(bm)
    faculty_rules.add_supervision_ratio(bm)
    faculty_rules.add_clinic_capacity(bm)
    faculty_rules.add_faculty_clinic_cap(bm)
    faculty_rules.add_faculty_call_coverage(bm)
    faculty_rules.add_post_call_mornings(bm)
    checkpoint()
    objectives.add_call_fairness(bm)
    objectives.add_continuity_targets(bm)
    objectives.add_request_preferences(bm)
    objectives.add_precepting_economy(bm)
    objectives.set_objective(bm)
    bm.book.assume_all()
    return bm
