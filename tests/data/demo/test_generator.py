"""The demo history generator: deterministic, with the stated shape and stories, and loadable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, event, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from data.config import AppConfig, load_config
from data.demo.generator import database_is_empty, generate_demo, load_demo
from data.store import models as m

END_MONTH = dt.date(2026, 11, 1)  # fixed, so expected values do not move with time
SECTORS = {"association", "entreprise", "collectivite", "habitant", "etat", "autre"}
TRUST = ["trust_reliable", "trust_mission", "trust_open"]


@pytest.fixture(scope="module")
def config() -> AppConfig:
    return load_config()


@pytest.fixture(scope="module")
def demo(config: AppConfig) -> dict[str, pd.DataFrame]:
    return generate_demo(config, end_month=END_MONTH)


def _answers(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Respondents with their wave's territory, number and window."""
    waves = frames["survey_wave"].rename(columns={"id": "wave_id"})
    return frames["respondent"].merge(waves, on="wave_id", validate="many_to_one")


def _densities(frames: dict[str, pd.DataFrame], territory: str) -> pd.Series:
    """Density of ties with level ≥ 1 per wave number (SURVEY.md: nodes = responding orgs)."""
    answers = _answers(frames)
    answers = answers[answers["territory_id"] == territory]
    ratings = frames["roster_rating"].merge(
        answers[["id", "actor_id", "number"]].rename(columns={"id": "respondent_id"}),
        on="respondent_id",
    )
    result = {}
    for number, group in ratings.groupby("number"):
        nodes = set(answers.loc[answers["number"] == number, "actor_id"])
        group = group[group["rated_actor_id"].isin(nodes)]
        low = group[["actor_id", "rated_actor_id"]].min(axis=1)
        high = group[["actor_id", "rated_actor_id"]].max(axis=1)
        ties = group.assign(i=low, j=high).groupby(["i", "j"])["level"].max()
        result[number] = (ties >= 1).sum() / (len(nodes) * (len(nodes) - 1) / 2)
    return pd.Series(result).sort_index()


# -- determinism ------------------------------------------------------------------------------


def test_same_seed_gives_equal_frames(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    again = generate_demo(config, end_month=END_MONTH)
    assert list(again) == list(demo)
    for name, frame in demo.items():
        assert frame.equals(again[name]), name


def test_another_seed_gives_another_history(
    config: AppConfig, demo: dict[str, pd.DataFrame]
) -> None:
    other = generate_demo(config, seed=7, end_month=END_MONTH)
    assert not other["roster_rating"].equals(demo["roster_rating"])
    assert not other["actor"].equals(demo["actor"])
    # Same territories and calendar, whatever the seed.
    assert other["survey_wave"][["territory_id", "number"]].equals(
        demo["survey_wave"][["territory_id", "number"]]
    )


# -- shape ------------------------------------------------------------------------------------


def test_frames_match_the_model_columns(demo: dict[str, pd.DataFrame]) -> None:
    for name, frame in demo.items():
        table = m.Base.metadata.tables[name]
        assert set(frame.columns) == {c.name for c in table.columns}, name
        if "id" in frame.columns and name != "territory":
            assert frame["id"].tolist() == list(range(1, len(frame) + 1)), name


def test_territories_and_actors(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    actors = demo["actor"]
    assert demo["territory"].empty  # the six configured territories are already in the DB
    assert list(actors["territory_id"].unique()) == [t.id for t in config.territories]
    sizes = actors.groupby("territory_id").size()
    assert sizes.between(30, 80).all()
    sectors = actors.groupby("territory_id")["sector"].agg(set)
    assert all(s == SECTORS for s in sectors)
    assert not actors.duplicated(["territory_id", "org_id"]).any()
    roya = actors[actors["territory_id"] == "roya"]
    assert set(roya["commune"].dropna()) <= {
        "Tende",
        "Breil-sur-Roya",
        "La Brigue",
        "Fontan",
        "Saorge",
    }
    # Associations are the largest group everywhere (~35 %).
    share = actors["sector"].value_counts(normalize=True)
    assert share.idxmax() == "association"
    assert 0.28 <= share["association"] <= 0.4


def test_waves_every_six_months(demo: dict[str, pd.DataFrame]) -> None:
    waves = demo["survey_wave"]
    # End month 2026-11: roya (start 2023-12) is at month 35, its wave 36 is not due yet;
    # entre-deux-mers (2024-03) at month 32; forbach and nantes-qpv (2024-06) at month 29;
    # aura (2025-01) at month 22; haute-garonne (2025-04) at month 19.
    expected = {
        "roya": 6,
        "entre-deux-mers": 6,
        "forbach": 5,
        "nantes-qpv": 5,
        "aura": 4,
        "haute-garonne": 4,
    }
    assert waves.groupby("territory_id").size().to_dict() == expected
    roya = waves[waves["territory_id"] == "roya"]
    assert roya["number"].tolist() == [0, 1, 2, 3, 4, 5]
    assert roya["window_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-12-01",
        "2024-06-01",
        "2024-12-01",
        "2025-06-01",
        "2025-12-01",
        "2026-06-01",
    ]
    assert roya["window_end"].dt.strftime("%Y-%m-%d").iloc[0] == "2024-01-31"


def test_respondents(demo: dict[str, pd.DataFrame]) -> None:
    answers = _answers(demo)
    assert not answers.duplicated(["wave_id", "respondent_key"]).any()
    assert answers["respondent_key"].str.fullmatch(r"R-\d+-[0-9a-f]{6}").all()
    assert answers["submitted_at"].between(answers["window_start"], answers["window_end"]).all()
    actors = demo["actor"].set_index("id")
    assert (answers["sector"] == actors.loc[answers["actor_id"], "sector"].to_numpy()).all()
    assert (
        answers["territory_id"].to_numpy()
        == actors.loc[answers["actor_id"], "territory_id"].to_numpy()
    ).all()
    # Share of the actors list that answered, per wave: roughly 30–80 %, rising with maturity.
    per_wave = answers.groupby(["territory_id", "number"])["actor_id"].nunique()
    listed = demo["actor"].groupby("territory_id").size()
    share = per_wave / listed.reindex(per_wave.index.get_level_values(0)).to_numpy()
    assert share.between(0.2, 0.9).all()
    assert 0.4 <= share.mean() <= 0.65
    roya = share["roya"]
    assert roya.iloc[-1] > roya.iloc[0] + 0.15
    # Some organisations answer with two people.
    assert answers.duplicated(["wave_id", "actor_id"]).any()


def test_likert_and_resources(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    likert = demo["likert_answer"]
    assert likert["value"].between(1, 5).all()
    assert set(likert["item"]) == set(config.survey.likert_items)
    assert not likert.duplicated(["respondent_id", "item"]).any()
    missing = 1 - len(likert) / (len(demo["respondent"]) * len(config.survey.likert_items))
    assert 0.04 <= missing <= 0.1
    resources = demo["resource_contribution"]
    assert set(resources["resource_type"]) == {r.id for r in config.survey.resource_types}
    assert not resources.duplicated().any()


def test_roster_ratings(demo: dict[str, pd.DataFrame]) -> None:
    ratings = demo["roster_rating"]
    assert ratings["level"].between(0, 5).all()
    assert set(ratings["level"]) == {0, 1, 2, 3, 4, 5}
    no_tie = ratings["level"] == 0
    for column in TRUST:
        assert (ratings[column].isna() == no_tie).all(), column
        assert ratings.loc[~no_tie, column].between(1, 4).all(), column
    assert not ratings.duplicated(["respondent_id", "rated_actor_id"]).any()
    respondents = demo["respondent"].set_index("id")
    raters = respondents.loc[ratings["respondent_id"], "actor_id"].to_numpy()
    assert (raters != ratings["rated_actor_id"].to_numpy()).all()  # no self-ratings
    territory = demo["actor"].set_index("id")["territory_id"]
    assert (
        territory.loc[raters].to_numpy() == territory.loc[ratings["rated_actor_id"]].to_numpy()
    ).all()
    # Each respondent rates most of the other listed actors (~60–90 %), a few skip the roster.
    per_respondent = ratings.groupby("respondent_id").size()
    assert len(per_respondent) < len(respondents)
    assert 20 <= per_respondent.median() <= 60


def test_journals(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    journals = demo["journal"]
    assert not journals.duplicated(["territory_id", "month"]).any()
    assert (journals["month"].dt.day == 1).all()
    # Months from the start to 2026-11; forbach misses three of its 30 months.
    expected = {
        "roya": 36,
        "entre-deux-mers": 33,
        "forbach": 27,
        "nantes-qpv": 30,
        "aura": 23,
        "haute-garonne": 20,
    }
    assert journals.groupby("territory_id").size().to_dict() == expected
    month = journals["month"].dt.strftime("%Y-%m")
    assert (journals.loc[month == "2026-11", "status"] == "draft").all()
    assert (journals.loc[month == "2026-10", "status"] == "submitted").all()
    approved = journals[month < "2026-10"]
    assert (approved["status"] == "approved").all()
    assert approved["approved_at"].notna().all()
    assert (approved["approved_at"] > approved["submitted_at"]).all()
    lead = demo["user_account"].set_index("role").loc["lead", "id"]
    assert (approved["approved_by"] == lead).all()
    stages = [s.id for s in config.stage_model.stages]
    assert set(journals["declared_stage"]) == set(stages)
    rubric = demo["journal_rubric"]
    milestones = {mi.id for s in config.stage_model.stages for mi in s.milestones}
    per_journal = rubric.groupby("journal_id")["milestone_id"].agg(set)
    assert len(per_journal) == len(journals)
    assert all(s == milestones for s in per_journal)
    assert rubric["score"].between(0, 3).all()
    assert 0.05 <= journals["narrative_internal"].mean() <= 0.2
    roya = journals[journals["territory_id"] == "roya"]
    assert roya["interviews_done"].is_monotonic_increasing
    assert roya["interviews_done"].iloc[-1] <= roya["interviews_planned"].iloc[-1]
    assert roya["declared_stage"].iloc[-1] == "coalition"


def test_events(demo: dict[str, pd.DataFrame]) -> None:
    events = demo["journal_event"]
    per_journal = events.groupby("journal_id").size()
    assert per_journal.between(1, 3).all()
    assert set(events["kind"]) == {"workshop", "meeting", "interview"}
    journals = demo["journal"].set_index("id")
    months = journals.loc[events["journal_id"], "month"].to_numpy()
    assert (events["held_on"].to_numpy() >= months).all()
    participants = demo["event_participants"]
    assert (participants["count"] > 0).all()
    assert set(participants["event_id"]) == set(events["id"])
    attendance = demo["event_attendance"]
    assert not attendance.duplicated().any()
    assert set(attendance["event_id"]) == set(events["id"])


def test_stalled_territory_is_less_connected_than_roya(demo: dict[str, pd.DataFrame]) -> None:
    waves = demo["survey_wave"]
    last_year = waves[waves["window_start"] >= pd.Timestamp("2025-11-01")]

    def last_year_density(territory: str) -> float:
        numbers = last_year.loc[last_year["territory_id"] == territory, "number"]
        return float(_densities(demo, territory).loc[numbers].mean())

    forbach, roya = last_year_density("forbach"), last_year_density("roya")
    assert forbach < roya - 0.15
    journals = demo["journal"]
    text_ = journals.loc[journals["territory_id"] == "forbach", "narrative_difficulties"]
    assert text_.str.contains("Dynamique à l'arrêt|dynamique est à l'arrêt").sum() >= 10
    assert demo["joint_action"]["territory_id"].ne("forbach").all()


def test_nantes_regresses_after_the_facilitator_leaves(demo: dict[str, pd.DataFrame]) -> None:
    density = _densities(demo, "nantes-qpv")
    assert density.iloc[-1] < density.max() - 0.05
    assert density.idxmax() == 3  # wave 3, month 18: just before the facilitator leaves
    journals = demo["journal"]
    nantes = journals[journals["territory_id"] == "nantes-qpv"]
    nantes = nantes.set_index(nantes["month"].dt.strftime("%Y-%m"))
    assert "Départ de l'animatrice" in nantes.loc["2026-02", "narrative_difficulties"]
    # The binôme still declares structuration while the network has fallen back.
    assert (nantes.loc["2025-06":, "declared_stage"] == "structuration").all()


def test_funding_diversifies_with_maturity(demo: dict[str, pd.DataFrame]) -> None:
    funding = demo["coordination_funding"]
    funders = funding.groupby("territory_id")["funder"].nunique()
    # Fondation de France, at most joined by the Département where the dynamic stalled;
    # also the Département, the intercommunality and the Région where it matured.
    assert funders["forbach"] <= 2
    assert funders["roya"] >= 4
    fdf_share = (
        funding.assign(fdf=funding["funder"].eq("Fondation de France") * funding["amount_eur"])
        .groupby("territory_id")[["fdf", "amount_eur"]]
        .sum()
        .eval("fdf / amount_eur")
    )
    assert fdf_share["roya"] < fdf_share["forbach"]
    assert (funding["amount_eur"] > 0).all()
    actions = demo["joint_action"]
    assert set(actions["status"]) <= {"planned", "under_way", "completed", "abandoned"}
    assert (actions.groupby("territory_id").size() <= 8).all()
    members = demo["joint_action_actor"].merge(
        demo["actor"][["id", "sector"]].rename(columns={"id": "actor_id"}), on="actor_id"
    )
    per_action = members.groupby("action_id").agg(
        actors=("actor_id", "size"), sectors=("sector", "nunique")
    )
    assert per_action["actors"].between(2, 10).all()
    assert per_action["sectors"].between(1, 5).all()


def test_demo_users(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    users = demo["user_account"]
    assert users["role"].value_counts().to_dict() == {"binome": 6, "lead": 1, "funder": 1}
    binomes = users[users["role"] == "binome"]
    assert binomes["email"].tolist() == [f"binome.{t.id}@tec-demo.fr" for t in config.territories]
    assert users["password_hash"].isna().all()
    assert users["active"].all()


def test_hundred_territories(config: AppConfig) -> None:
    frames = generate_demo(config, n_territories=100, end_month=END_MONTH)
    territories = frames["territory"]
    assert len(territories) == 94
    assert territories["id"].iloc[0] == "demo-0007"
    assert territories["id"].iloc[-1] == "demo-0100"
    assert territories["name"].iloc[0] == "Territoire démo 7"
    assert (territories["programme_id"] == config.programme.id).all()
    sizes = frames["actor"].groupby("territory_id").size()
    assert len(sizes) == 100
    assert sizes.between(30, 80).all()
    waves = frames["survey_wave"].groupby("territory_id").size()
    assert (waves[territories["id"]] == 7).mean() > 0.7  # most have a full 36-month history
    assert 300_000 < len(frames["roster_rating"]) < 2_000_000


# -- loading ----------------------------------------------------------------------------------


def _sqlite_engine(path: Path, config: AppConfig) -> Engine:
    """A new SQLite file with the schema, foreign keys on, and the configured programme."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(
        engine, "connect", lambda connection, _record: connection.execute("PRAGMA foreign_keys=ON")
    )
    m.Base.metadata.create_all(engine)
    model = config.stage_model
    with engine.begin() as connection:
        connection.execute(insert(m.StageModelRow).values(id=model.id, name=model.name))
        connection.execute(
            insert(m.Programme).values(
                id=config.programme.id,
                name=config.programme.name,
                stage_model_id=model.id,
                duration_months=config.programme.duration_months,
            )
        )
        connection.execute(
            insert(m.Territory),
            [
                {
                    "id": t.id,
                    "programme_id": config.programme.id,
                    "name": t.name,
                    "region": t.region,
                    "department": t.department,
                    "start_date": t.start_date,
                    "binome_foundation_officer": t.binome.foundation_officer,
                    "binome_kiif_member": t.binome.kiif_member,
                }
                for t in config.territories
            ],
        )
    return engine


def _counts(engine: Engine, tables: list[str]) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in tables
        }


def test_load_on_sqlite(config: AppConfig, tmp_path: Path) -> None:
    frames = generate_demo(config, n_territories=8, end_month=END_MONTH)  # 2 synthetic
    engine = _sqlite_engine(tmp_path / "demo.db", config)
    assert database_is_empty(engine)
    counts = load_demo(engine, frames)
    assert counts == {name: len(frame) for name, frame in frames.items()}
    after = _counts(engine, list(frames))
    expected = dict(counts, territory=counts["territory"] + len(config.territories))
    assert after == expected
    assert not database_is_empty(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        audit = connection.execute(select(m.AuditLog)).one()
        assert (audit.action, audit.entity, audit.actor) == ("demo.load", "database", "demo")
        assert audit.details == counts
        trust = connection.execute(
            select(func.count()).where(
                m.RosterRating.level == 0, m.RosterRating.trust_reliable.is_not(None)
            )
        ).scalar_one()
        assert trust == 0
    # A second load of the same frames breaks unique constraints and changes nothing.
    with pytest.raises(IntegrityError):
        load_demo(engine, frames)
    assert _counts(engine, [*frames, "audit_log"]) == {**after, "audit_log": 1}
    engine.dispose()


def test_load_shifts_ids_past_existing_rows(config: AppConfig, tmp_path: Path) -> None:
    frames = generate_demo(config, n_territories=1, end_month=dt.date(2024, 3, 1))
    engine = _sqlite_engine(tmp_path / "shift.db", config)
    with engine.begin() as connection:
        connection.execute(
            insert(m.UserAccount).values(email="admin@example.org", display_name="A", role="lead")
        )
    load_demo(engine, frames)
    with engine.connect() as connection:
        lead = connection.execute(
            select(m.UserAccount.id).where(m.UserAccount.email == "direction@tec-demo.fr")
        ).scalar_one()
        approvers = connection.execute(
            select(m.Journal.approved_by).where(m.Journal.approved_by.is_not(None)).distinct()
        ).scalars()
        assert lead == 2
        assert list(approvers) == [2]
    engine.dispose()
