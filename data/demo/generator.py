"""Seeded, deterministic demo history: three years of believable cooperation stories.

:func:`generate_demo` is pure: it returns one :class:`pandas.DataFrame` per table of
:mod:`data.store.models` that it fills, with the model's column names and explicit integer primary
keys assigned from 1, so that foreign keys line up (dtypes: :mod:`data.demo.tables`).
:func:`data.demo.load.load_demo` writes these frames into a database in one transaction.

Every territory follows a latent *maturity* m(t) ∈ [0, 1] over the months since its start, its
story (:mod:`data.demo.stories`: it grows, stalls or regresses). Survey answers (Likert,
resources, roster), journals, events, joint actions and the funding of the coordination are all
drawn from m(t), so indicators computed on the demo tell the story. Each territory draws from
its own random stream (``SeedSequence(seed, spawn_key=(index,))``), so a territory's history
does not depend on how many territories are generated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from data.config import AppConfig
from data.demo.accounts import add_accounts
from data.demo.actions import draw_coordination_funding, draw_joint_actions
from data.demo.actors import SECTORS, draw_actors
from data.demo.history import History
from data.demo.journal import (
    JOURNAL_STATUSES,
    JournalModel,
    draw_events,
    draw_journals,
    journal_vocabularies,
)
from data.demo.month_indexes import last_wave_month, month_index
from data.demo.plan import Plan, plan_territories
from data.demo.survey import SurveyModel, draw_survey
from data.demo.tables import Tables

Progress = Callable[[str], None]

DEFAULT_SEED = 20261123


def generate_demo(
    config: AppConfig,
    n_territories: int | None = None,
    seed: int = DEFAULT_SEED,
    end_month: dt.date | None = None,
    progress: Progress | None = None,
) -> dict[str, pd.DataFrame]:
    """Generate the demo history of ``n_territories`` territories (default: every configured
    one) up to ``end_month``.

    The first territories are the configured ones (``config.territories``: programme after
    programme, in order); beyond them, synthetic territories ``demo-0019``… are added to the
    first programme, most with a complete history.
    Pure and deterministic: the same arguments give equal frames.

    Returns one DataFrame per table name (``territory`` holds only the synthetic territories;
    configured ones are expected in the database already), with the model's columns and
    integer primary keys from 1.
    """
    if n_territories is None:
        n_territories = len(config.territories)
    if n_territories < 1:
        raise ValueError("n_territories must be at least 1")
    end = (end_month or dt.date.today()).replace(day=1)
    plans = plan_territories(config, n_territories, seed, end)
    tables = Tables()
    surveys = {p.id: SurveyModel.from_config(config, p.programme) for p in config.programmes}
    journals = JournalModel.of_programmes(config)
    stage_vocabulary, milestone_vocabulary = journal_vocabularies(config)
    add_accounts(tables, plans, end)
    for plan in plans:
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(plan.index, 1)))
        survey, journal = surveys[plan.programme], journals[plan.programme]
        _add_territory(tables, config, survey, journal, plan, rng, month_index(end))
        done = plan.index + 1
        if progress is not None and (done % 100 == 0 or done == len(plans)):
            progress(f"Jeu de démonstration : {done}/{len(plans)} territoires générés")
    return tables.frames(
        {
            "sector": SECTORS,
            "item": config.survey.likert_items,
            "resource": tuple(r.id for r in config.survey.resource_types),
            "stage": stage_vocabulary,
            "milestone": milestone_vocabulary,
            "status": JOURNAL_STATUSES,
        }
    )


def _add_territory(
    tables: Tables,
    config: AppConfig,
    survey: SurveyModel,
    journal: JournalModel,
    plan: Plan,
    rng: np.random.Generator,
    end_index: int,
) -> None:
    """Draw one territory's history up to month ``end_index`` (an absolute month index), and
    its ``territory`` row when it is synthetic."""
    if plan.synthetic:
        tables["territory"].add(
            id=[plan.id],
            programme_id=[plan.programme],
            name=[plan.name],
            region=[plan.region],
            department=np.array([plan.department], dtype=object),
            start_date=[np.datetime64(plan.start, "D")],
            binome_foundation_officer=[plan.officer],
            binome_kiif_member=[plan.kiif],
        )
    start_index = month_index(plan.start)
    programme = config.programme(plan.programme).programme
    duration = programme.duration_months
    months = min(duration, end_index - start_index + 1)
    if months <= 0:
        return  # not started yet: no actors list, no history
    horizon = last_wave_month(duration, programme.survey_interval_months)
    maturity = plan.story.curve(horizon) + rng.normal(0.0, 0.012, horizon + 1)
    maturity = np.clip(maturity, 0.02, 0.98)
    actors = draw_actors(tables, plan, rng, months)
    history = History(plan, rng, maturity, actors, start_index, months, end_index)
    draw_survey(tables, survey, history)
    journals = draw_journals(tables, journal, history)
    draw_events(tables, journal, history, journals)
    draw_joint_actions(tables, history)
    draw_coordination_funding(tables, history)
