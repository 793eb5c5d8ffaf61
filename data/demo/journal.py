"""Monthly journals: the stage the binôme declares, the rubric, interviews, narratives and
workflow status of each month, then the month's events (interviews, workshops, meetings) with
who attended.

:func:`draw_journals` fills ``journal`` and ``journal_rubric`` and returns :class:`Journals`;
:func:`draw_events` fills ``journal_event``, ``event_attendance`` and ``event_participants``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from data.config import AppConfig, StageModel
from data.demo.accounts import LEAD_ID
from data.demo.actors import SECTOR_CODE, SECTORS, weighted_sample
from data.demo.history import History
from data.demo.month_indexes import month_days
from data.demo.narratives import (
    AFTER_LEAVE_NARRATIVES,
    LEAVE_DIFFICULTY,
    LEAVE_NEXT,
    NARRATIVES,
    RECOVERY_NARRATIVES,
    RECOVERY_STRENGTH,
    STALL_NARRATIVES,
)
from data.demo.plan import Plan
from data.demo.tables import Tables
from data.demo.vocabulary import MEETING_TITLES, WORKSHOP_TITLES, with_a, with_de

JOURNAL_STATUSES = ("draft", "submitted", "approved")


@dataclass(frozen=True)
class JournalModel:
    """What the journal draw takes from the stage model, in the frames' code order."""

    stages: tuple[str, ...]  # stage ids
    milestones: tuple[str, ...]  # milestone ids, stage after stage
    # (stage rank from 0, position of the milestone inside its stage in [0, 1))
    milestone_stage: np.ndarray
    milestone_position: np.ndarray
    # The codes of the stages and of the milestones in the frames' vocabularies.
    stage_codes: np.ndarray
    milestone_codes: np.ndarray

    @classmethod
    def of_programmes(cls, config: AppConfig) -> dict[str, JournalModel]:
        """Each programme's model (by programme id), its codes those of the frames'
        vocabularies: every programme's stage ids and milestone ids, each once
        (:func:`journal_vocabularies`)."""
        stage_vocabulary, milestone_vocabulary = journal_vocabularies(config)
        return {
            p.id: cls._of(p.stage_model, stage_vocabulary, milestone_vocabulary)
            for p in config.programmes
        }

    @classmethod
    def _of(
        cls, model: StageModel, stage_vocabulary: tuple[str, ...], milestones: tuple[str, ...]
    ) -> JournalModel:
        stages = model.stages
        return cls(
            stages=tuple(s.id for s in stages),
            milestones=tuple(m.id for s in stages for m in s.milestones),
            stage_codes=np.array([stage_vocabulary.index(s.id) for s in stages]),
            milestone_codes=np.array(
                [milestones.index(m.id) for s in stages for m in s.milestones]
            ),
            milestone_stage=np.array(
                [k for k, s in enumerate(stages) for _ in s.milestones], dtype=float
            ),
            milestone_position=np.array(
                [j / len(s.milestones) for s in stages for j in range(len(s.milestones))]
            ),
        )


def journal_vocabularies(config: AppConfig) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The stage ids and the milestone ids of every programme's stage model, each once."""
    models = [p.stage_model for p in config.programmes]
    stages = (s for m in models for s in m.stages)
    return (
        tuple(dict.fromkeys(s.id for m in models for s in m.stages)),
        tuple(dict.fromkeys(mi.id for s in stages for mi in s.milestones)),
    )


@dataclass(frozen=True)
class Journals:
    """The journals written for one territory, in month order (missing months left out)."""

    ids: np.ndarray
    months: np.ndarray  # months since the territory's start
    month_index: np.ndarray  # absolute month index
    stage: np.ndarray  # declared stage rank from 0
    status: np.ndarray  # 0 draft, 1 submitted, 2 approved
    interviews: np.ndarray  # interviews held in the month


def draw_journals(tables: Tables, model: JournalModel, history: History) -> Journals:
    """Draw the journal of each month of a territory's history: the end month's is a draft, the
    one before it submitted, older ones approved."""
    plan, rng, maturity, actors = history.plan, history.rng, history.maturity, history.actors
    start_index, months, end_index = history.start_index, history.months, history.end_index
    story = plan.story
    t = np.arange(months)
    month_index = start_index + t
    # Declared maturity: the binôme's reading lags two months and is rarely downgraded.
    declared = np.maximum.accumulate(maturity[np.maximum(t - 2, 0)])
    if story.kind == "regress":
        # Still declares structuration after the facilitator has left.
        declared = np.minimum(declared, 0.49)
    k = len(model.stages)
    stage = np.minimum((declared * k).astype(int), k - 1)
    # Rows: the stalled story misses ~3 months (never the last two).
    keep = np.ones(months, bool)
    if story.kind == "stall":
        candidates = np.flatnonzero((t >= 11) & (month_index < end_index - 1))
        if len(candidates):
            missing = rng.choice(candidates, size=min(3, len(candidates)), replace=False)
            keep[missing] = False
    # Portrait sensible: interviews over months 0–8.
    planned = int(rng.integers(32, 49))
    reached = rng.uniform(0.88, 1.0)
    done = np.rint(planned * reached * np.minimum(1.0, (t + 1) / 9.0) ** 0.85).astype(int)
    new_actors = np.bincount(actors.entry, minlength=months)[:months]
    coalition = stage == k - 1
    tools = np.cumsum(coalition & (rng.random(months) < 0.2))
    tools = np.where(coalition, tools, 0)
    # Rubric: each milestone progresses with the declared maturity past its stage's start.
    milestone_noise = rng.normal(0.0, 0.12, len(model.milestones))
    progress = (
        (declared[:, None] - model.milestone_stage[None, :] / k) * k
        - 0.6 * model.milestone_position[None, :]
        + milestone_noise[None, :]
    )
    score = np.select([progress < 0.0, progress < 0.45, progress < 0.95], [0, 1, 2], default=3)
    score = np.maximum.accumulate(score, axis=0).astype(np.int64)
    # Status: older months approved, last month submitted, this month a draft.
    status = np.where(month_index < end_index - 1, 2, np.where(month_index == end_index - 1, 1, 0))
    next_month = month_days(month_index + 1).astype("datetime64[s]")
    submit_delay = rng.integers(1, 10, months) * 86400 + rng.integers(8, 19, months) * 3600
    submitted = next_month + submit_delay.astype("timedelta64[s]")
    approve_delay = rng.integers(1, 15, months) * 86400 + rng.integers(0, 8, months) * 3600
    approved = submitted + approve_delay.astype("timedelta64[s]")
    nat = np.datetime64("NaT", "s")
    # The month just closed was submitted in the first days of end_month.
    submitted = np.where(
        status == 1, next_month + (rng.integers(0, 3, months) * 86400 + 36000), submitted
    )
    submitted = np.where(status >= 1, submitted, nat)
    approved = np.where(status == 2, approved, nat)
    strengths, difficulties, next_steps = _narratives(model, plan, rng, stage, status, months)
    rows = np.flatnonzero(keep)
    ids = tables.ids("journal", len(rows))
    tables["journal"].add(
        id=ids,
        territory_id=np.full(len(rows), plan.id, dtype=object),
        month=month_days(month_index[rows]),
        declared_stage=model.stage_codes[stage[rows]],
        interviews_done=done[rows],
        interviews_planned=np.full(len(rows), planned),
        new_actors=new_actors[rows],
        tools_reused=tools[rows],
        narrative_strengths=np.array(strengths, dtype=object)[rows],
        narrative_difficulties=np.array(difficulties, dtype=object)[rows],
        narrative_next_steps=np.array(next_steps, dtype=object)[rows],
        narrative_internal=(rng.random(months) < 0.1)[rows],
        status=status[rows],
        submitted_at=submitted[rows],
        approved_at=approved[rows],
        approved_by=np.where(status == 2, float(LEAD_ID), np.nan)[rows],
        version=np.ones(len(rows), dtype="int64"),  # each journal is written once, by the load
    )
    n_milestones = len(model.milestones)
    tables["journal_rubric"].add(
        journal_id=np.repeat(ids, n_milestones),
        milestone_id=np.tile(model.milestone_codes, len(rows)),
        score=score[rows].ravel(),
    )
    return Journals(
        ids=ids,
        months=t[rows],
        month_index=month_index[rows],
        stage=stage[rows],
        status=status[rows],
        interviews=np.diff(done, prepend=0)[rows],
    )


def _narratives(
    model: JournalModel,
    plan: Plan,
    rng: np.random.Generator,
    stage: np.ndarray,
    status: np.ndarray,
    months: int,
) -> tuple[list[str], list[str], list[str]]:
    """Each month's strengths, difficulties and next steps, from the pools of its stage and
    story (a draft has only its strengths)."""
    story = plan.story
    k = len(model.stages)
    place = plan.places[0][1]
    strengths: list[str] = []
    difficulties: list[str] = []
    next_steps: list[str] = []

    de_place, at_place = with_de(place), with_a(place)

    def pick(pool: Sequence[str], upto: int = 2) -> str:
        """One or (up to ``upto``) two distinct sentences of the pool, in pool order."""
        size = len(pool)
        first = int(rng.integers(size))
        chosen = [first]
        if upto > 1 and size > 1 and rng.random() < 0.5:
            chosen.append((first + 1 + int(rng.integers(size - 1))) % size)
        text_ = " ".join(pool[i] for i in sorted(chosen))
        return text_.format(dc=de_place, ac=at_place)

    for month in range(months):
        bucket = min(3, int(stage[month]) * 4 // k)
        pools = NARRATIVES[bucket]
        if story.kind == "stall" and month >= 10:
            pools = (STALL_NARRATIVES[0], STALL_NARRATIVES[1], STALL_NARRATIVES[2])
        strength, difficulty, next_step = pick(pools[0]), pick(pools[1]), pick(pools[2], 1)
        if story.kind == "regress":
            if month == story.leave:
                difficulty, next_step = LEAVE_DIFFICULTY, LEAVE_NEXT
            elif story.leave < month < story.recover:
                strength = pick(AFTER_LEAVE_NARRATIVES[0], 1)
                difficulty = pick(AFTER_LEAVE_NARRATIVES[1], 1)
                next_step = pick(AFTER_LEAVE_NARRATIVES[2], 1)
            elif month == story.recover:
                strength = RECOVERY_STRENGTH
                next_step = pick(RECOVERY_NARRATIVES[2], 1)
            elif month > story.recover:
                strength = pick(RECOVERY_NARRATIVES[0] + pools[0], 1)
                difficulty = pick(RECOVERY_NARRATIVES[1] + pools[1], 1)
        if status[month] == 0:  # a draft: only the strengths are written so far
            difficulty, next_step = "", ""
        strengths.append(strength)
        difficulties.append(difficulty)
        next_steps.append(next_step)
    return strengths, difficulties, next_steps


def draw_events(tables: Tables, model: JournalModel, history: History, journals: Journals) -> None:
    """Draw the events of each journal's month, who attended them, and headcounts per sector."""
    plan, rng, maturity, actors = history.plan, history.rng, history.maturity, history.actors
    story = plan.story
    n = len(actors.ids)
    k = len(model.stages)
    weights_all = np.exp(actors.engagement)
    core_weights = np.exp(2.0 * actors.activity + 0.5 * actors.engagement)
    interviewed = np.zeros(n, bool)
    previous_workshop = np.zeros(n, bool)
    event_journal: list[int] = []
    held: list[np.datetime64] = []
    kinds: list[str] = []
    titles: list[str] = []
    attendance: list[np.ndarray] = []
    for journal_id, t, month_index, stage, status, interviews in zip(
        journals.ids.tolist(),
        journals.months.tolist(),
        journals.month_index.tolist(),
        journals.stage.tolist(),
        journals.status.tolist(),
        journals.interviews.tolist(),
        strict=True,
    ):
        m = float(maturity[t])
        bucket = min(3, stage * 4 // k)
        listed = actors.entry <= t
        if story.kind == "stall" and t >= 10:
            count = 1 + int(rng.random() < 0.3)
        elif story.kind == "regress" and story.leave <= t < story.recover:
            count = 1
        else:
            count = 1 + int(rng.binomial(2, 0.15 + 0.5 * m))
        if status == 0:
            count = 1
        plan_kinds = []
        if interviews > 0:
            plan_kinds.append("interview")
        while len(plan_kinds) < count:
            plan_kinds.append("workshop" if rng.random() < 0.55 else "meeting")
        days = np.sort(rng.integers(0, 20 if status == 0 else 28, len(plan_kinds)))
        first_day = month_days(month_index)
        used: set[str] = set()
        for kind, day in zip(plan_kinds, days.tolist(), strict=True):
            if kind == "interview":
                pool = np.flatnonzero(listed & ~interviewed)
                size = min(len(pool), max(1, min(6, interviews // 2)))
                present = pool[rng.permutation(len(pool))[:size]]
                interviewed[present] = True
                title = "Entretiens du portrait sensible"
            elif kind == "meeting":
                pool = np.flatnonzero(listed)
                size = min(len(pool), int(rng.integers(4, 10)))
                present = weighted_sample(rng, pool, core_weights[pool], size)
                title = _pick_title(rng, MEETING_TITLES[bucket], used)
            else:
                size = int(np.clip(round(6 + 24 * m + rng.normal(0, 3)), 4, listed.sum()))
                continuity = 0.25 + 0.6 * m
                kept = np.flatnonzero(previous_workshop & listed)
                kept = kept[rng.random(len(kept)) < continuity][:size]
                available = listed.copy()
                available[kept] = False
                pool = np.flatnonzero(available)
                extra = min(len(pool), size - len(kept))
                new = weighted_sample(rng, pool, weights_all[pool], extra)
                present = np.concatenate([kept, new])
                previous_workshop = np.zeros(n, bool)
                previous_workshop[present] = True
                title = _pick_title(rng, WORKSHOP_TITLES[bucket], used)
            used.add(title)
            event_journal.append(journal_id)
            held.append(first_day + np.timedelta64(day, "D"))
            kinds.append(kind)
            titles.append(title)
            attendance.append(np.sort(present))
    count = len(event_journal)
    if count == 0:
        return
    event_ids = tables.ids("journal_event", count)
    tables["journal_event"].add(
        id=event_ids,
        journal_id=np.array(event_journal, dtype=np.int64),
        held_on=np.array(held, dtype="datetime64[D]"),
        kind=kinds,
        title=titles,
    )
    sizes = np.array([len(a) for a in attendance])
    present_all = np.concatenate(attendance).astype(np.int64)
    event_of = np.repeat(event_ids, sizes)
    tables["event_attendance"].add(event_id=event_of, actor_id=actors.ids[present_all])
    # Headcounts per sector: 1–2 people per organisation present, plus inhabitants who are
    # not on the actors list at workshops.
    n_sectors = len(SECTORS)
    people = 1 + (rng.random(len(present_all)) < 0.35)
    slot = np.repeat(np.arange(count), sizes) * n_sectors + actors.sectors[present_all]
    heads = np.bincount(slot, weights=people, minlength=count * n_sectors).reshape(count, n_sectors)
    is_workshop = np.array([k_ == "workshop" for k_ in kinds])
    heads[:, SECTOR_CODE["habitant"]] += np.where(is_workshop, rng.poisson(2.0, count), 0)
    ee, ss = np.nonzero(heads > 0)
    tables["event_participants"].add(
        event_id=event_ids[ee], sector=ss, count=heads[ee, ss].astype(np.int64)
    )


def _pick_title(rng: np.random.Generator, pool: Sequence[str], used: set[str]) -> str:
    """A title from the pool, not one already used this month when possible."""
    fresh = [title for title in pool if title not in used] or list(pool)
    return fresh[int(rng.integers(len(fresh)))]
