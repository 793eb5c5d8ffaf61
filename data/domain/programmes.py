"""What a programme changes in how its territories are judged: its stages and milestones in the
reference model's terms, and the indicators it does not use.

The indicator engine knows one stage model, the reference one (``stages.yaml``'s
``reference_model``), for which the catalogue is written. A programme with its own model is
judged through it: before its frames reach the engine, each declared stage becomes the
reference stage it is judged like and each milestone that counts as a reference milestone takes
that milestone's id (:func:`to_reference`); after, the indicators it hides are dropped
(:func:`without_hidden`). Everything the engine writes (values, stages) is therefore in
reference terms; a page shows a stage in the territory's own model with
``StageModel.from_reference``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from data.config import AppConfig
from indicators.frames import Frames


@dataclass(frozen=True)
class ProgrammeRules:
    """One programme's translation into the reference model, and its hidden indicators."""

    stages: Mapping[str, str]  # its stage id → the reference stage it is judged like
    milestones: Mapping[str, str]  # its milestone id → the reference milestone it counts as
    hidden: frozenset[str]  # indicator ids it does not use

    @property
    def translates_nothing(self) -> bool:
        """Whether its stages and milestones are the reference model's own."""
        return not self.milestones and all(k == v for k, v in self.stages.items())


def programme_rules(config: AppConfig) -> dict[str, ProgrammeRules]:
    """Each programme's rules, by programme id."""
    return {
        p.id: ProgrammeRules(
            stages={s.id: p.stage_model.reference_stage(s.id) for s in p.stage_model.stages},
            milestones=p.stage_model.reference_milestones(),
            hidden=frozenset(p.programme.hidden_indicators),
        )
        for p in config.programmes
    }


def to_reference(
    frames: Frames, programme_of: Mapping[str, str], rules: Mapping[str, ProgrammeRules]
) -> Frames:
    """``frames`` with the declared stages and the rubric's milestones of each territory's
    journals in the reference model's terms (``programme_of``: territory id → programme id; a
    territory of no known programme is left as it is)."""
    journals = frames.journals
    own = journals["territory_id"].map(programme_of)
    if all(rules[p].translates_nothing for p in own.dropna().unique() if p in rules):
        return frames
    stage_map = {
        (programme, stage): reference
        for programme, r in rules.items()
        for stage, reference in r.stages.items()
    }
    keys = pd.Series(list(zip(own, journals["declared_stage"], strict=True)), index=journals.index)
    declared = keys.map(stage_map).where(lambda s: s.notna(), journals["declared_stage"])
    programme_of_journal = pd.Series(own.to_numpy(), index=journals["journal_id"].to_numpy())
    rubric = frames.rubric
    rubric_programme = rubric["journal_id"].map(programme_of_journal)
    milestone_map = {
        (programme, milestone): reference
        for programme, r in rules.items()
        for milestone, reference in r.milestones.items()
    }
    rubric_keys = pd.Series(
        list(zip(rubric_programme, rubric["milestone_id"], strict=True)), index=rubric.index
    )
    milestones = rubric_keys.map(milestone_map).where(lambda s: s.notna(), rubric["milestone_id"])
    return dataclasses.replace(
        frames,
        journals=journals.assign(declared_stage=declared.astype(journals["declared_stage"].dtype)),
        rubric=rubric.assign(milestone_id=milestones.astype(rubric["milestone_id"].dtype)),
    )


def without_hidden(
    long: pd.DataFrame, programme_of: Mapping[str, str], rules: Mapping[str, ProgrammeRules]
) -> pd.DataFrame:
    """The long table of indicator values without the rows of indicators hidden by their
    territory's programme."""
    hidden = {(p, i) for p, r in rules.items() for i in r.hidden}
    if not hidden:
        return long
    keys = zip(long["territory_id"].map(programme_of), long["indicator_id"], strict=True)
    return long[[key not in hidden for key in keys]].reset_index(drop=True)
