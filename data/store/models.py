"""SQLAlchemy 2 typed ORM models of Coopérascope.

Constraints that describe the data (value ranges, uniqueness, allowed states) live in the
database, so that no code path — import, dashboard, a script — can store a row the product
would misread.

Every table in one module (about 600 lines): the schema reads in one place, as the migrations
that must agree with it (``tests/data/store/test_migrations.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from data.access import Role
from data.domain.vocabulary import (
    ActionStatus,
    CommentKind,
    EventKind,
    ImportKind,
    ImportOutcome,
    JournalStatus,
)
from data.domain.waves import FIRST_WAVE, LAST_WAVE

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SECTORS = ("association", "entreprise", "collectivite", "habitant", "etat", "autre")
RESOURCE_TYPES = (
    "financement",
    "nature",
    "personnel",
    "benevoles",
    "donnees",
    "expertise",
    "reseau",
    "locaux",
    "animation",
)
JOURNAL_STATUSES = tuple(JournalStatus)
ACTION_STATUSES = tuple(ActionStatus)
EVENT_KINDS = tuple(EventKind)
COMMENT_KINDS = tuple(CommentKind)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _first_of_month(column: str) -> str:
    # A month is stored as its first day. Portable: SQLite stores dates as ISO text and
    # PostgreSQL renders a date as ISO text under its default DateStyle.
    return f"substr(CAST({column} AS VARCHAR(10)), 9, 2) = '01'"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class StageModelRow(Base):
    __tablename__ = "stage_model"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    stages: Mapped[list[StageRow]] = relationship(
        back_populates="stage_model", order_by="StageRow.rank"
    )


class StageRow(Base):
    __tablename__ = "stage"
    __table_args__ = (
        UniqueConstraint("stage_model_id", "rank"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    stage_model_id: Mapped[str] = mapped_column(ForeignKey("stage_model.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    # The stage of the reference model this one is judged like (None in the reference model).
    judged_as: Mapped[str | None] = mapped_column(String(64))
    stage_model: Mapped[StageModelRow] = relationship(back_populates="stages")


class Programme(Base):
    __tablename__ = "programme"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    stage_model_id: Mapped[str] = mapped_column(ForeignKey("stage_model.id"))
    duration_months: Mapped[int] = mapped_column(Integer)
    short_name: Mapped[str] = mapped_column(String(100), server_default="")
    survey_interval_months: Mapped[int] = mapped_column(Integer, server_default="6")
    binomes_see_other_territories: Mapped[bool] = mapped_column(server_default=false())


class Territory(Base):
    __tablename__ = "territory"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programme.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    start_date: Mapped[dt.date] = mapped_column(Date)
    binome_foundation_officer: Mapped[str] = mapped_column(String(200))
    binome_kiif_member: Mapped[str] = mapped_column(String(200))


class Actor(Base):
    """An organisation (or inhabitant collective) on a territory's actors list."""

    __tablename__ = "actor"
    __table_args__ = (
        UniqueConstraint("territory_id", "org_id"),
        CheckConstraint(_in("sector", SECTORS), name="sector_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[str] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"))
    org_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(20))
    commune: Mapped[str | None] = mapped_column(String(200))


class SurveyWave(Base):
    __tablename__ = "survey_wave"
    __table_args__ = (
        UniqueConstraint("territory_id", "number"),
        CheckConstraint(f"number BETWEEN {FIRST_WAVE} AND {LAST_WAVE}", name="number_in_range"),
        CheckConstraint(
            "window_end IS NULL OR window_start IS NULL OR window_end >= window_start",
            name="window_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[str] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[dt.date | None] = mapped_column(Date)
    window_end: Mapped[dt.date | None] = mapped_column(Date)


class Respondent(Base):
    __tablename__ = "respondent"
    __table_args__ = (
        UniqueConstraint("wave_id", "respondent_key"),
        CheckConstraint(_in("sector", SECTORS), name="sector_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_wave.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(100))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), index=True)
    sector: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[dt.date] = mapped_column(Date)


class LikertAnswer(Base):
    __tablename__ = "likert_answer"
    __table_args__ = (CheckConstraint("value BETWEEN 1 AND 5", name="value_range"),)

    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class ResourceContribution(Base):
    __tablename__ = "resource_contribution"
    __table_args__ = (CheckConstraint(_in("resource_type", RESOURCE_TYPES), name="type_known"),)

    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE"), primary_key=True
    )
    resource_type: Mapped[str] = mapped_column(String(20), primary_key=True)


class RosterRating(Base):
    """A respondent's rating of another organisation: level 0–5, trust 1–4 where level ≥ 1."""

    __tablename__ = "roster_rating"
    __table_args__ = (
        CheckConstraint("level BETWEEN 0 AND 5", name="level_range"),
        CheckConstraint("trust_reliable BETWEEN 1 AND 4", name="trust_reliable_range"),
        CheckConstraint("trust_mission BETWEEN 1 AND 4", name="trust_mission_range"),
        CheckConstraint("trust_open BETWEEN 1 AND 4", name="trust_open_range"),
        CheckConstraint(
            "level >= 1 OR (trust_reliable IS NULL AND trust_mission IS NULL "
            "AND trust_open IS NULL)",
            name="trust_needs_tie",
        ),
    )

    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE"), primary_key=True
    )
    rated_actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    trust_reliable: Mapped[int | None] = mapped_column(Integer)
    trust_mission: Mapped[int | None] = mapped_column(Integer)
    trust_open: Mapped[int | None] = mapped_column(Integer)


class Journal(Base):
    """The binôme's monthly self-assessment of a territory."""

    __tablename__ = "journal"
    __table_args__ = (
        UniqueConstraint("territory_id", "month"),
        CheckConstraint(_in("status", JOURNAL_STATUSES), name="status_known"),
        CheckConstraint(_first_of_month("month"), name="month_first_day"),
        CheckConstraint("interviews_done >= 0", name="interviews_done_non_negative"),
        CheckConstraint("interviews_planned >= 0", name="interviews_planned_non_negative"),
        CheckConstraint("new_actors >= 0", name="new_actors_non_negative"),
        CheckConstraint("tools_reused >= 0", name="tools_reused_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[str] = mapped_column(ForeignKey("territory.id", ondelete="CASCADE"))
    month: Mapped[dt.date] = mapped_column(Date)
    declared_stage: Mapped[str] = mapped_column(String(64))
    interviews_done: Mapped[int] = mapped_column(Integer, default=0)
    interviews_planned: Mapped[int] = mapped_column(Integer, default=0)
    new_actors: Mapped[int] = mapped_column(Integer, default=0)
    tools_reused: Mapped[int] = mapped_column(Integer, default=0)
    narrative_strengths: Mapped[str] = mapped_column(Text, default="")
    narrative_difficulties: Mapped[str] = mapped_column(Text, default="")
    narrative_next_steps: Mapped[str] = mapped_column(Text, default="")
    narrative_internal: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Incremented by every write, so that a page saving what it read can tell when someone
    # else wrote the journal meanwhile.
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class JournalRubric(Base):
    """One milestone of the stage rubric: 0 not started, 1 under way, 2 done, 3 consolidated."""

    __tablename__ = "journal_rubric"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 3", name="score_range"),)

    journal_id: Mapped[int] = mapped_column(
        ForeignKey("journal.id", ondelete="CASCADE"), primary_key=True
    )
    milestone_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)


class JournalEvent(Base):
    """A meeting or workshop held in the month."""

    __tablename__ = "journal_event"
    __table_args__ = (CheckConstraint(_in("kind", EVENT_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(
        ForeignKey("journal.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[dt.date | None] = mapped_column(Date)  # None: a draft's row, not dated yet
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))


class EventParticipants(Base):
    """Headcount of an event's participants from one sector."""

    __tablename__ = "event_participants"
    __table_args__ = (
        CheckConstraint(_in("sector", SECTORS), name="sector_known"),
        CheckConstraint("count >= 0", name="count_non_negative"),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("journal_event.id", ondelete="CASCADE"), primary_key=True
    )
    sector: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class EventAttendance(Base):
    """An organisation of the actors list present at an event."""

    __tablename__ = "event_attendance"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("journal_event.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), primary_key=True)


class JointAction(Base):
    __tablename__ = "joint_action"
    __table_args__ = (
        CheckConstraint(_in("status", ACTION_STATUSES), name="status_known"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[str] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))


class JointActionActor(Base):
    __tablename__ = "joint_action_actor"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("joint_action.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), primary_key=True)


class JointActionFunding(Base):
    __tablename__ = "joint_action_funding"
    __table_args__ = (CheckConstraint("amount_eur >= 0", name="amount_non_negative"),)

    action_id: Mapped[int] = mapped_column(
        ForeignKey("joint_action.id", ondelete="CASCADE"), primary_key=True
    )
    funder: Mapped[str] = mapped_column(String(200), primary_key=True)
    amount_eur: Mapped[float | None] = mapped_column(Numeric(12, 2))


class CoordinationFunding(Base):
    """A funder of the territory's coordination (the support function) over a period."""

    __tablename__ = "coordination_funding"
    __table_args__ = (
        CheckConstraint("amount_eur > 0", name="amount_positive"),
        CheckConstraint("end_month IS NULL OR end_month >= start_month", name="months_ordered"),
        CheckConstraint(_first_of_month("start_month"), name="start_month_first_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[str] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), index=True
    )
    funder: Mapped[str] = mapped_column(String(200))
    start_month: Mapped[dt.date] = mapped_column(Date)
    end_month: Mapped[dt.date | None] = mapped_column(Date)
    amount_eur: Mapped[float] = mapped_column(Numeric(12, 2))


class UserAccount(Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(_in("role", tuple(Role)), name="role_known"),
        CheckConstraint(
            "(role = 'binome') = (territory_id IS NOT NULL)", name="binome_has_territory"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territory.id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now, server_default=func.now()
    )
    # A lead of every programme, present and future (only a lead: the account service checks
    # it); otherwise the programmes of ``account_programme`` (a binôme's is its territory's).
    all_programmes: Mapped[bool] = mapped_column(default=False, server_default=false())


class AccountProgramme(Base):
    """A programme a lead leads or a funder funds."""

    __tablename__ = "account_programme"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )


class UnsavedJournal(Base):
    """What a user typed in a journal and has not saved yet, kept at each change of the page so
    that leaving it, a reload or a closed tab loses nothing; deleted once saved or abandoned.

    Private scratch, not the journal: written outside the ORM so that it is not audited and
    neither makes the territory's indicators stale nor refreshes anyone's pages."""

    __tablename__ = "unsaved_journal"
    __table_args__ = (CheckConstraint(_first_of_month("month"), name="month_first_day"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    territory_id: Mapped[str] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    base_version: Mapped[int] = mapped_column(Integer)  # the journal's version it started from
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)
    kept_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SignInThrottle(Base):
    """Failed sign-ins of one e-mail address (``*``: any address) from one client, in the
    current window; a lockout holds for that client only, so that nobody can lock an account
    out from elsewhere."""

    __tablename__ = "sign_in_throttle"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures_non_negative"),)

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class UserSession(Base):
    """A signed-in session, known by its token's SHA-256 (the token itself is never stored).

    It ends when revoked (sign-out, deactivation, a new password), after an idle period, or
    at its absolute expiry; every Streamlit process serving the database accepts it."""

    __tablename__ = "user_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    client: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SignInCode(Base):
    """A single-use code that carries a session opened in a Streamlit session over to the
    browser's session cookie (``POST /auth/session``), known by its SHA-256.

    It is valid for a minute, from the client that signed in only, and deleted when used. It
    carries the session's token sealed by the code itself (``data.services.sign_in``): the
    database alone never gives a token away."""

    __tablename__ = "sign_in_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    client: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    sealed_token: Mapped[str] = mapped_column(String(128))


class AuditLog(Base):
    """Every write: who, when, what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now, server_default=func.now(), index=True
    )
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(64))
    entity_key: Mapped[str | None] = mapped_column(String(200))
    territory_id: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


Index("ix_respondent_wave", Respondent.wave_id)
Index("ix_roster_rating_rated", RosterRating.rated_actor_id)


class IndicatorValue(Base):
    """One computed indicator for a territory and month (the long table the dashboard reads)."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        CheckConstraint("n >= 0", name="n_non_negative"),
        CheckConstraint(_first_of_month("month"), name="month_first_day"),
    )

    territory_id: Mapped[str] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[float | None]
    n: Mapped[int] = mapped_column(Integer)
    low_n: Mapped[bool]
    status: Mapped[str | None] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(64))
    wave_number: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(300))
    data_version: Mapped[int] = mapped_column(Integer)
    catalogue_version: Mapped[str] = mapped_column(String(64))


class TerritoryStage(Base):
    """Declared (journal), inferred (indicators) and judged stage of a territory for a month."""

    __tablename__ = "territory_stage"
    __table_args__ = (CheckConstraint(_first_of_month("month"), name="month_first_day"),)

    territory_id: Mapped[str] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    declared_stage: Mapped[str | None] = mapped_column(String(64))
    inferred_stage: Mapped[str | None] = mapped_column(String(64))
    # The stage the month's indicators are judged at (``indicators.stage.judged_stages``).
    judged_stage: Mapped[str | None] = mapped_column(String(64))
    disagreement: Mapped[bool]
    missing_criteria: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class IndicatorState(Base):
    """What the stored indicators of a territory were computed from.

    ``data_version`` is the territory's latest audit-log id at compute time: every write to a
    territory's data is audited, so a newer audit row means the indicators are stale.
    ``month_digests`` maps each stored month (ISO date) to a digest of its stored rows (values
    and stage): a recompute rewrites only the months whose digest changed.
    """

    __tablename__ = "indicator_state"

    territory_id: Mapped[str] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), primary_key=True
    )
    data_version: Mapped[int] = mapped_column(Integer)
    catalogue_version: Mapped[str] = mapped_column(String(64))
    through_month: Mapped[dt.date] = mapped_column(Date)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    month_digests: Mapped[dict[str, str] | None] = mapped_column(JSON)


class RawUpload(Base):
    """Every uploaded file, archived under its SHA-256 before anything is read from it."""

    __tablename__ = "raw_upload"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size_non_negative"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    filename: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(254))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


IMPORT_KINDS = tuple(ImportKind)
IMPORT_OUTCOMES = tuple(ImportOutcome)


class ImportReport(Base):
    """The quality report of one import attempt, kept even when a later file replaces it."""

    __tablename__ = "import_report"
    __table_args__ = (
        CheckConstraint(_in("kind", IMPORT_KINDS), name="kind_known"),
        CheckConstraint(_in("outcome", IMPORT_OUTCOMES), name="outcome_known"),
        CheckConstraint("errors >= 0 AND warnings >= 0", name="counts_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("raw_upload.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10))
    territory_id: Mapped[str] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), index=True
    )
    wave_number: Mapped[int | None] = mapped_column(Integer)
    source_format: Mapped[str | None] = mapped_column(String(32))
    imported_by: Mapped[str] = mapped_column(String(254))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    outcome: Mapped[str] = mapped_column(String(10))
    errors: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReviewComment(Base):
    """A message on a territory's month, by a programme lead or the territory's binôme: a
    comment, or the binôme's request to unlock the approved month (``kind``)."""

    __tablename__ = "review_comment"
    __table_args__ = (
        CheckConstraint(_first_of_month("month"), name="month_first_day"),
        CheckConstraint("length(body) > 0", name="body_not_empty"),
        CheckConstraint(_in("kind", COMMENT_KINDS), name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[str] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[dt.date] = mapped_column(Date)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default=CommentKind.COMMENT)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


Index("ix_indicator_value_month", IndicatorValue.month, IndicatorValue.indicator_id)
Index("ix_audit_log_territory_id_id", AuditLog.territory_id, AuditLog.id)
