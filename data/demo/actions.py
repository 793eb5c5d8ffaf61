"""Money and projects: the joint actions a maturing cooperation decides on, who takes part and
who funds them, and the funding of the coordination itself, which diversifies with maturity.

:func:`draw_joint_actions` fills ``joint_action``, ``joint_action_actor`` and
``joint_action_funding``; :func:`draw_coordination_funding` fills ``coordination_funding``.
"""

from __future__ import annotations

import numpy as np

from data.demo.actors import SECTOR_CODE, weighted_sample
from data.demo.history import History
from data.demo.month_indexes import month_days
from data.demo.plan import Plan
from data.demo.tables import Tables
from data.demo.vocabulary import (
    DEPARTMENT_PHRASES,
    FOUNDATIONS_ABRITEES,
    JOINT_ACTION_TITLES,
    with_de,
)


def draw_joint_actions(tables: Tables, history: History) -> None:
    """Draw the joint actions a territory decides on as it matures, with their status at the
    end month, their members and their funders."""
    plan, rng, maturity, actors = history.plan, history.rng, history.maturity, history.actors
    start_index, months, end_index = history.start_index, history.months, history.end_index
    story = plan.story
    decided = []
    for t in range(months):
        m = float(maturity[t])
        if m > 0.4 and len(decided) < 8 and rng.random() < 0.1 + 0.4 * (m - 0.4):
            decided.append(t)
    if not decided:
        return
    count = len(decided)
    ids = tables.ids("joint_action", count)
    title_order = rng.permutation(len(JOINT_ACTION_TITLES))[:count]
    starts, ends, statuses = [], [], []
    for t in decided:
        start_month = start_index + t + int(rng.integers(1, 3))
        start = month_days(start_month) + np.timedelta64(int(rng.integers(0, 25)), "D")
        length = int(rng.integers(4, 19))
        end = month_days(start_month + length) + np.timedelta64(int(rng.integers(0, 25)), "D")
        if start_month > end_index:
            status, end_date = "planned", None
        elif story.kind == "regress" and t <= story.leave < t + length + 1:
            status = "abandoned" if rng.random() < 0.6 else "under_way"
            end_date = month_days(start_index + story.leave + 2) if status == "abandoned" else None
            end_date = max(end_date, start) if end_date is not None else None
        elif start_month + length <= end_index:
            status = "abandoned" if rng.random() < 0.1 else "completed"
            end_date = end if status == "completed" else month_days(start_month + length // 2)
        else:
            status, end_date = "under_way", None
        starts.append(start)
        ends.append(end_date if end_date is not None else np.datetime64("NaT", "D"))
        statuses.append(status)
    tables["joint_action"].add(
        id=ids,
        territory_id=np.full(count, plan.id, dtype=object),
        title=[JOINT_ACTION_TITLES[i] for i in title_order],
        start_date=np.array(starts, dtype="datetime64[D]"),
        end_date=np.array(ends, dtype="datetime64[D]"),
        status=statuses,
    )
    region_funder = f"Région {plan.region}"
    department_funder = _department_funder(plan)
    for action_id, t in zip(ids.tolist(), decided, strict=True):
        m = float(maturity[t])
        listed = np.flatnonzero(actors.entry <= t)
        present = np.unique(actors.sectors[listed])
        n_sectors = min(len(present), 1 + int(rng.binomial(4, 0.25 + 0.4 * m)))
        chosen_sectors = rng.choice(present, size=n_sectors, replace=False)
        size = int(np.clip(2 + rng.binomial(8, 0.2 + 0.4 * m), max(2, n_sectors), 10))
        members = []
        for sector in chosen_sectors:
            pool = listed[actors.sectors[listed] == sector]
            w = np.exp(actors.activity[pool])
            members.append(int(rng.choice(pool, p=w / w.sum())))
        pool = listed[np.isin(actors.sectors[listed], chosen_sectors)]
        pool = pool[~np.isin(pool, members)]
        extra = min(len(pool), size - len(members))
        members.extend(weighted_sample(rng, pool, np.exp(actors.activity[pool]), extra).tolist())
        members_arr = np.sort(np.array(members, dtype=np.int64))
        tables["joint_action_actor"].add(
            action_id=np.full(len(members_arr), action_id), actor_id=actors.ids[members_arr]
        )
        place = plan.places[int(rng.integers(len(plan.places)))][1]
        candidates = [
            ("Fondation de France", 0.6, 5_000, 30_000),
            (region_funder, 0.3, 5_000, 40_000),
            (department_funder, 0.35, 3_000, 25_000),
            (
                "Ville de Nantes" if plan.urban else f"Commune {with_de(place)}",
                0.35,
                1_000,
                10_000,
            ),
            (plan.interco, 0.25, 2_000, 15_000),
            (FOUNDATIONS_ABRITEES[int(rng.integers(3))], 0.15, 2_000, 15_000),
            ("Caisse d'allocations familiales", 0.1, 2_000, 12_000),
        ]
        funders, amounts = [], []
        for funder, probability, low, high in candidates:
            if rng.random() < probability and funder not in funders:
                funders.append(funder)
                amount = round(float(rng.uniform(low, high)) / 500) * 500
                amounts.append(np.nan if rng.random() < 0.05 else float(amount))
        if not funders:
            funders, amounts = ["Fondation de France"], [float(rng.integers(10, 41) * 500)]
        tables["joint_action_funding"].add(
            action_id=np.full(len(funders), action_id), funder=funders, amount_eur=amounts
        )


def draw_coordination_funding(tables: Tables, history: History) -> None:
    """Draw who funds a territory's coordination over its history: Fondation de France every
    year, other funders once the maturity passes their threshold."""
    plan, rng, maturity, actors = history.plan, history.rng, history.maturity, history.actors
    start_index, months = history.start_index, history.months
    story = plan.story
    funders: list[str] = []
    starts: list[int] = []
    ends: list[int | None] = []
    amounts: list[float] = []
    # Fondation de France funds the coordination every year from the start.
    for year, base in enumerate((60_000, 50_000, 40_000)):
        t = 12 * year
        if t >= months:
            break
        funders.append("Fondation de France")
        starts.append(start_index + t)
        ends.append(start_index + t + 11)
        amounts.append(float(round(base * rng.uniform(0.9, 1.1), -3)))
    # Other funders join as the cooperation matures.
    company = SECTOR_CODE["entreprise"]
    companies = [name for name, s in zip(actors.names, actors.sectors, strict=True) if s == company]
    patron = f"Mécénat {companies[int(rng.integers(len(companies)))]}"
    joiners = [
        (_department_funder(plan), 0.33, 15_000, 30_000),
        (plan.interco, 0.45, 10_000, 25_000),
        (f"Région {plan.region}", 0.55, 15_000, 35_000),
        (patron, 0.7, 5_000, 12_000),
    ]
    for funder, threshold, low, high in joiners:
        if funder == patron and rng.random() < 0.4:
            continue  # not every territory finds a patron
        above = np.flatnonzero(maturity[:months] > threshold + rng.uniform(-0.04, 0.08))
        if not len(above):
            continue
        t = int(above[0]) + int(rng.integers(0, 3))
        if t >= months:
            continue
        end = None
        if story.kind == "regress" and t < story.leave and funder.startswith("Région"):
            end = start_index + min(story.leave + 3, months - 1)
        funders.append(funder)
        starts.append(start_index + t)
        ends.append(end)
        amounts.append(float(round(rng.uniform(low, high), -3)))
    count = len(funders)
    tables["coordination_funding"].add(
        id=tables.ids("coordination_funding", count),
        territory_id=np.full(count, plan.id, dtype=object),
        funder=funders,
        start_month=month_days(np.array(starts)),
        end_month=np.array(
            [month_days(e) if e is not None else np.datetime64("NaT", "D") for e in ends],
            dtype="datetime64[D]",
        ),
        amount_eur=np.array(amounts),
    )


def _department_funder(plan: Plan) -> str:
    """« Département de la Gironde », or « Conseil départemental » without a department."""
    if plan.department is None:
        return "Conseil départemental"
    phrase = DEPARTMENT_PHRASES.get(plan.department, f"de {plan.department}")
    return f"Département {phrase}"
