"""Read queries returning DataFrames. Each takes the user's :class:`~data.access.Scope`.

What a scope may read is decided by ``data.access``; here, rows are restricted by one helper
(:func:`_restricted`, or :func:`_aggregates` for indicator tables), months by
:func:`_approved_only`, and small groups withheld by ``data.access.withhold_small_groups``.

One module (about 600 lines) on purpose: the restriction helpers are private to it, so that no
read can reach a table except through them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Engine, Select, and_, distinct, func, select
from sqlalchemy.orm import Session

from data import labels
from data.access import (
    MIN_GROUP_SIZE,
    AccessDenied,
    Permission,
    Role,
    Scope,
    withhold_small_groups,
)
from data.domain.months import add_months
from data.domain.vocabulary import ActionStatus, JournalStatus
from data.store.models import (
    AccountProgramme,
    Actor,
    AuditLog,
    EventParticipants,
    ImportReport,
    IndicatorState,
    IndicatorValue,
    JointAction,
    JointActionActor,
    Journal,
    JournalEvent,
    JournalRubric,
    Programme,
    Respondent,
    ReviewComment,
    SignInThrottle,
    SurveyWave,
    Territory,
    TerritoryStage,
    UserAccount,
)

if TYPE_CHECKING:  # networkx is imported when a network is read, not with the data layer
    from indicators.network_report import NetworkData


def _restricted(query: Select, column, scope: Scope, permission: Permission) -> Select:  # type: ignore[no-untyped-def]
    """``query`` restricted to the territories where the scope holds ``permission`` (raises
    :class:`AccessDenied` when it holds it nowhere)."""
    scope.require(permission)
    reach = scope.reach(permission)
    return query if reach is None else query.where(column.in_(sorted(reach)))


def _aggregates(query: Select, column, scope: Scope) -> Select:  # type: ignore[no-untyped-def]
    """``query`` restricted to the territories whose indicators the scope may read."""
    scope.require(Permission.READ_OWN_DETAIL)
    reach = scope.aggregates_reach()
    return query if reach is None else query.where(column.in_(sorted(reach)))


def _approved_only(query: Select, scope: Scope, territory_column, month_column) -> Select:  # type: ignore[no-untyped-def]
    """``query`` restricted to approved months unless the scope may read the others."""
    if scope.can(Permission.READ_UNAPPROVED):
        return query
    return query.join(
        Journal,
        and_(Journal.territory_id == territory_column, Journal.month == month_column),
    ).where(Journal.status == "approved")


def _read(engine: Engine, query: Select) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


# Audited writes no page shows: sign-ins, sessions and the sign-in throttle.
_UNSHOWN_ENTITIES = ("user_session", "sign_in_throttle")


def write_version(engine: Engine) -> int:
    """The id of the latest audited write a page may show (every write is audited: journals,
    approvals, comments, imports, indicator computations, accounts), 0 before any. It grows
    with each write, whichever process made it."""
    query = select(func.max(AuditLog.id)).where(AuditLog.entity.not_in(_UNSHOWN_ENTITIES))
    with engine.connect() as connection:
        return connection.scalar(query) or 0


def indicators_updated_at(
    engine: Engine, scope: Scope, territory_ids: list[str] | None = None
) -> dt.datetime | None:
    """When the indicators of the scope's territories (or of ``territory_ids``) were last
    computed (in UTC); None before any computation."""
    query = select(func.max(IndicatorState.computed_at))
    if territory_ids is not None:
        query = query.where(IndicatorState.territory_id.in_(territory_ids))
    with engine.connect() as connection:
        latest = connection.scalar(_aggregates(query, IndicatorState.territory_id, scope))
    return latest  # naive on SQLite, which keeps the UTC time without its zone


def territories(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The territories the scope may see, in start order, with their programme and its
    duration."""
    query = select(
        Territory.id.label("territory_id"),
        Territory.programme_id,
        Territory.name,
        Territory.region,
        Territory.department,
        Territory.start_date,
        Territory.binome_foundation_officer.label("foundation_officer"),
        Territory.binome_kiif_member.label("kiif_member"),
        Programme.duration_months,
    )
    query = query.join(Programme, Programme.id == Territory.programme_id).order_by(
        Territory.start_date, Territory.id
    )
    frame = _read(engine, _aggregates(query, Territory.id, scope))
    frame["start_date"] = pd.to_datetime(frame["start_date"]).dt.date
    return frame


def declared_stages(engine: Engine, scope: Scope, month: dt.date) -> pd.DataFrame:
    """Each visible territory's journal for ``month``: declared stage and status."""
    query = select(
        Journal.territory_id,
        Journal.declared_stage,
        Journal.status,
    ).where(Journal.month == month)
    if not scope.can(Permission.READ_UNAPPROVED):
        query = query.where(Journal.status == "approved")
    query = _restricted(query, Journal.territory_id, scope, Permission.READ_OWN_DETAIL)
    return _read(engine, query)


def _approved_through(engine: Engine, scope: Scope) -> dict[str, dt.date] | None:
    """Each territory's latest approved month, for a scope that reads approved months only
    (None: the scope reads every month). A territory with no approved month is absent."""
    if scope.can(Permission.READ_UNAPPROVED):
        return None
    query = (
        select(Journal.territory_id, func.max(Journal.month))
        .where(Journal.status == "approved")
        .group_by(Journal.territory_id)
    )
    with engine.connect() as connection:
        return {t: pd.Timestamp(m).date() for t, m in connection.execute(query)}


def _until_approved(
    frame: pd.DataFrame, through: dict[str, dt.date] | None, column: str
) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` (a month or a day) falls within its territory's
    approved months (``through``, from :func:`_approved_through`); all rows when None."""
    if through is None:
        return frame
    cutoff = pd.to_datetime(
        [add_months(through[t], 1) if t in through else dt.date.min for t in frame["territory_id"]]
    )
    return frame[(pd.to_datetime(frame[column]) < cutoff).to_numpy()].reset_index(drop=True)


def respondents_per_wave(
    engine: Engine, scope: Scope, territory_id: str | None = None
) -> pd.DataFrame:
    """Respondents and responding organisations per survey wave.

    A wave's reference month is the month of its last answer (SURVEY.md). A scope that reads
    approved months only gets the waves up to each territory's latest approved month; one
    without small groups, no count of fewer than five people (``None``).
    """
    query = (
        select(
            SurveyWave.territory_id,
            SurveyWave.number.label("wave_number"),
            func.max(Respondent.submitted_at).label("last_answer"),
            func.count(Respondent.id).label("respondents"),
            func.count(distinct(Respondent.actor_id)).label("organisations"),
        )
        .join(Respondent, Respondent.wave_id == SurveyWave.id)
        .group_by(SurveyWave.territory_id, SurveyWave.number)
        .order_by(SurveyWave.territory_id, SurveyWave.number)
    )
    if territory_id is not None:
        query = query.where(SurveyWave.territory_id == territory_id)
    frame = _read(engine, _aggregates(query, SurveyWave.territory_id, scope))
    last = pd.to_datetime(frame["last_answer"])
    frame["reference_month"] = last.dt.to_period("M").dt.to_timestamp()
    frame = frame.drop(columns="last_answer")
    frame = _until_approved(frame, _approved_through(engine, scope), "reference_month")
    for column in ("respondents", "organisations"):
        frame[column] = frame[column].astype("Int64")
    return withhold_small_groups(
        frame,
        scope,
        small=frame["respondents"] < MIN_GROUP_SIZE,
        columns=("respondents", "organisations"),
        note_column=None,
    )


def database_status(engine: Engine) -> pd.DataFrame:
    """Per territory: what the database holds (for ``cooperascope status``)."""

    def count_by(column, *where) -> Select:  # type: ignore[no-untyped-def]
        table = column.class_
        return (
            select(table.territory_id, func.count(column).label("n"))
            .where(and_(True, *where))
            .group_by(table.territory_id)
        )

    frame = territories(engine, Scope.system())[["territory_id", "name", "start_date"]]
    pieces = {
        "actors": count_by(Actor.id),
        "waves": count_by(SurveyWave.id),
        "journals": count_by(Journal.id),
        "approved": count_by(Journal.id, Journal.status == "approved"),
        "joint_actions": count_by(JointAction.id),
        "binome_accounts": count_by(UserAccount.id, UserAccount.role == Role.BINOME),
    }
    for name, query in pieces.items():
        counts = _read(engine, query).rename(columns={"n": name})
        frame = frame.merge(counts, on="territory_id", how="left")
    respondents = (
        select(SurveyWave.territory_id, func.count(Respondent.id).label("respondents"))
        .join(Respondent, Respondent.wave_id == SurveyWave.id)
        .group_by(SurveyWave.territory_id)
    )
    frame = frame.merge(_read(engine, respondents), on="territory_id", how="left")
    last_journal = select(
        Journal.territory_id, func.max(Journal.month).label("last_journal")
    ).group_by(Journal.territory_id)
    frame = frame.merge(_read(engine, last_journal), on="territory_id", how="left")
    counts = [c for c in frame.columns if c not in ("territory_id", "name", "start_date")]
    counts.remove("last_journal")
    frame[counts] = frame[counts].fillna(0).astype(int)
    return frame


def indicator_values(
    engine: Engine,
    scope: Scope,
    *,
    territory_ids: list[str] | None = None,
    months: list[dt.date] | None = None,
    indicator_ids: list[str] | None = None,
) -> pd.DataFrame:
    """Stored indicator values (long) the scope may read.

    A funder reads approved months only and never a value computed over fewer than five
    (``low_n``): the value is withheld and the note says so.
    """
    query = select(
        IndicatorValue.territory_id,
        IndicatorValue.month,
        IndicatorValue.indicator_id,
        IndicatorValue.value,
        IndicatorValue.n,
        IndicatorValue.low_n,
        IndicatorValue.status,
        IndicatorValue.stage,
        IndicatorValue.wave_number,
        IndicatorValue.note,
    ).order_by(IndicatorValue.territory_id, IndicatorValue.month, IndicatorValue.indicator_id)
    query = _aggregates(query, IndicatorValue.territory_id, scope)
    if territory_ids is not None:
        query = query.where(IndicatorValue.territory_id.in_(territory_ids))
    if months is not None:
        query = query.where(IndicatorValue.month.in_(months))
    if indicator_ids is not None:
        query = query.where(IndicatorValue.indicator_id.in_(indicator_ids))
    query = _approved_only(query, scope, IndicatorValue.territory_id, IndicatorValue.month)
    frame = _read(engine, query)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["low_n"] = frame["low_n"].astype(bool)
    frame["wave_number"] = frame["wave_number"].astype("Int64")
    return withhold_small_groups(frame, scope)


def territory_stages(
    engine: Engine, scope: Scope, territory_ids: list[str] | None = None
) -> pd.DataFrame:
    """Declared, inferred and judged stage per territory-month (approved months for a
    funder). For a scope without small groups, the readiness criteria (``missing_criteria``)
    computed over fewer than five people are withheld: they are left out of the list and
    counted in its ``withheld`` entry, since even unmet, a criterion tells its value's side
    of the threshold."""
    query = select(
        TerritoryStage.territory_id,
        TerritoryStage.month,
        TerritoryStage.declared_stage,
        TerritoryStage.inferred_stage,
        TerritoryStage.judged_stage,
        TerritoryStage.disagreement,
        TerritoryStage.missing_criteria,
    ).order_by(TerritoryStage.territory_id, TerritoryStage.month)
    query = _aggregates(query, TerritoryStage.territory_id, scope)
    if territory_ids is not None:
        query = query.where(TerritoryStage.territory_id.in_(territory_ids))
    query = _approved_only(query, scope, TerritoryStage.territory_id, TerritoryStage.month)
    frame = _read(engine, query)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["disagreement"] = frame["disagreement"].astype(bool)
    if not scope.can(Permission.READ_SMALL_GROUPS) and not frame.empty:
        frame["missing_criteria"] = _without_small_criteria(engine, frame)
    return frame


def _without_small_criteria(engine: Engine, stages: pd.DataFrame) -> list[dict | None]:
    """``stages.missing_criteria`` without the criteria whose indicator value rests on fewer
    than five people that month (counted under ``withheld``)."""
    small_query = select(
        IndicatorValue.territory_id, IndicatorValue.month, IndicatorValue.indicator_id
    ).where(IndicatorValue.low_n, IndicatorValue.territory_id.in_(set(stages["territory_id"])))
    with engine.connect() as connection:
        small = {(t, pd.Timestamp(m).date(), i) for t, m, i in connection.execute(small_query)}
    kept: list[dict | None] = []
    for territory, month, missing in zip(
        stages["territory_id"], stages["month"], stages["missing_criteria"], strict=True
    ):
        if not missing:
            kept.append(missing)
            continue
        criteria = missing.get("criteria", [])
        shown = [c for c in criteria if (territory, month, c["indicator"]) not in small]
        kept.append({**missing, "criteria": shown, "withheld": len(criteria) - len(shown)})
    return kept


def journal_statuses(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Every journal's territory, month, status and declared stage (no content)."""
    query = select(
        Journal.territory_id,
        Journal.month,
        Journal.status,
        Journal.declared_stage,
        Journal.submitted_at,
        Journal.approved_at,
    ).order_by(Journal.territory_id, Journal.month)
    query = _restricted(query, Journal.territory_id, scope, Permission.READ_OWN_DETAIL)
    if not scope.can(Permission.READ_UNAPPROVED):
        query = query.where(Journal.status == "approved")
    frame = _read(engine, query)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def journal_entry(engine: Engine, scope: Scope, territory_id: str, month: dt.date) -> dict | None:
    """One journal with its rubric and events, or None.

    A funder reads approved journals only, without a narrative marked internal.
    """
    if not scope.can_read_aggregates(territory_id):
        raise AccessDenied(f"Accès refusé au territoire « {territory_id} ».")
    with Session(engine) as session:
        journal = session.scalars(
            select(Journal).where(Journal.territory_id == territory_id, Journal.month == month)
        ).one_or_none()
        if journal is None:
            return None
        if not scope.can(Permission.READ_OWN_DETAIL, territory_id):
            return None
        if not scope.can(Permission.READ_UNAPPROVED) and journal.status != "approved":
            return None
        rubric = dict(
            session.execute(
                select(JournalRubric.milestone_id, JournalRubric.score).where(
                    JournalRubric.journal_id == journal.id
                )
            ).all()
        )
        events = _read(
            engine,
            select(
                JournalEvent.id.label("event_id"),
                JournalEvent.held_on,
                JournalEvent.kind,
                JournalEvent.title,
            )
            .where(JournalEvent.journal_id == journal.id)
            .order_by(JournalEvent.held_on),
        )
        participants = _read(
            engine,
            select(EventParticipants.event_id, EventParticipants.sector, EventParticipants.count)
            .join(JournalEvent, JournalEvent.id == EventParticipants.event_id)
            .where(JournalEvent.journal_id == journal.id),
        )
        participants = withhold_small_groups(
            participants,
            scope,
            small=participants["count"] < MIN_GROUP_SIZE,
            columns=("count",),
            note_column=None,
        )
        hide_narrative = journal.narrative_internal and not scope.can(
            Permission.READ_INTERNAL_NARRATIVE, territory_id
        )
        return {
            "id": journal.id,
            "territory_id": territory_id,
            "month": journal.month,
            "status": journal.status,
            "declared_stage": journal.declared_stage,
            "interviews_done": journal.interviews_done,
            "interviews_planned": journal.interviews_planned,
            "new_actors": journal.new_actors,
            "tools_reused": journal.tools_reused,
            "narrative_internal": journal.narrative_internal,
            "narrative_strengths": None if hide_narrative else journal.narrative_strengths,
            "narrative_difficulties": None if hide_narrative else journal.narrative_difficulties,
            "narrative_next_steps": None if hide_narrative else journal.narrative_next_steps,
            "submitted_at": journal.submitted_at,
            "approved_at": journal.approved_at,
            "approved_by": session.scalar(
                select(UserAccount.display_name).where(UserAccount.id == journal.approved_by)
            ),
            "version": journal.version,
            "rubric": rubric,
            "events": events,
            "participants": participants,
        }


def joint_actions(engine: Engine, scope: Scope, territory_id: str) -> pd.DataFrame:
    """A territory's joint actions with their number of participating actors and sectors."""
    if not scope.can_read_aggregates(territory_id):
        raise AccessDenied(f"Accès refusé au territoire « {territory_id} ».")
    query = (
        select(
            JointAction.id.label("action_id"),
            JointAction.title,
            JointAction.start_date,
            JointAction.end_date,
            JointAction.status,
            func.count(distinct(Actor.id)).label("actors"),
            func.count(distinct(Actor.sector)).label("sectors"),
        )
        .outerjoin(JointActionActor, JointActionActor.action_id == JointAction.id)
        .outerjoin(Actor, Actor.id == JointActionActor.actor_id)
        .where(JointAction.territory_id == territory_id)
        .group_by(JointAction.id)
        .order_by(JointAction.start_date)
    )
    frame = _read(engine, query)
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    through = _approved_through(engine, scope)
    if through is None:
        return frame
    # As of the territory's latest approved month: actions started since are left out, and
    # one that ended after it was still under way then.
    frame = _until_approved(frame.assign(territory_id=territory_id), through, "start_date")
    cutoff = add_months(through[territory_id], 1) if territory_id in through else dt.date.min
    later = frame["end_date"].map(lambda d: d is not None and not pd.isna(d) and d >= cutoff)
    frame.loc[later, "status"] = ActionStatus.UNDER_WAY.value
    frame.loc[later, "end_date"] = None
    return frame.drop(columns="territory_id")


def network(
    engine: Engine, scope: Scope, territory_id: str, wave_number: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cooperation network of a wave: nodes (actor_id, name, sector) and ties (source,
    target, level ≥ 1), computed exactly as the indicators compute them.

    Organisation-level answers: not for funders.
    """
    from data.store.indicator_inputs import load_frames
    from indicators.prepare import prepare

    scope.require(Permission.READ_NETWORK, territory_id)
    with engine.connect() as connection:
        frames = load_frames(connection, [territory_id])
    wave = frames.waves[frames.waves["number"] == wave_number]
    if wave.empty:
        return pd.DataFrame(columns=["actor_id", "name", "sector"]), pd.DataFrame(
            columns=["source", "target", "level"]
        )
    wave_id = int(wave["wave_id"].iloc[0])
    respondents = frames.respondents[frames.respondents["wave_id"] == wave_id]
    pairs = prepare(frames.replace(waves=wave, respondents=respondents)).pairs_frame()
    ties = pairs[pairs["level"] >= 1].rename(columns={"actor_a": "source", "actor_b": "target"})
    names = _read(
        engine,
        select(Actor.id.label("actor_id"), Actor.name, Actor.sector).where(
            Actor.territory_id == territory_id
        ),
    )
    nodes = names[names["actor_id"].isin(set(respondents["actor_id"]))].reset_index(drop=True)
    return nodes, ties[["source", "target", "level"]].reset_index(drop=True)


def network_report(engine: Engine, scope: Scope, territory_id: str) -> NetworkData:
    """A territory's network over all its waves, organisation by organisation, and its joint
    actions with their participants (:class:`indicators.network_report.NetworkData`), for the
    network report. Organisation-level answers: not for funders."""
    from data.store.indicator_inputs import load_frames
    from indicators.network_report import network_data

    scope.require(Permission.READ_NETWORK, territory_id)
    with engine.connect() as connection:
        frames = load_frames(connection, [territory_id])
    names = _read(
        engine,
        select(Actor.id.label("actor_id"), Actor.name).where(Actor.territory_id == territory_id),
    )
    titles = _read(
        engine,
        select(JointAction.id.label("action_id"), JointAction.title).where(
            JointAction.territory_id == territory_id
        ),
    )
    return network_data(frames, names, titles)


def import_reports(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Every import attempt the scope may see, newest first (not for funders)."""
    query = select(
        ImportReport.id,
        ImportReport.territory_id,
        ImportReport.kind,
        ImportReport.wave_number,
        ImportReport.filename,
        ImportReport.source_format,
        ImportReport.imported_by,
        ImportReport.imported_at,
        ImportReport.outcome,
        ImportReport.errors,
        ImportReport.warnings,
        ImportReport.rows_imported,
    ).order_by(ImportReport.imported_at.desc(), ImportReport.id.desc())
    return _read(
        engine, _restricted(query, ImportReport.territory_id, scope, Permission.READ_IMPORT_REPORTS)
    )


def import_report_detail(engine: Engine, scope: Scope, report_id: int) -> dict | None:
    """The stored report (JSON) of one import, if the scope may see it."""
    scope.require(Permission.READ_IMPORT_REPORTS)
    with Session(engine) as session:
        report = session.get(ImportReport, report_id)
        if report is None or not scope.can(Permission.READ_IMPORT_REPORTS, report.territory_id):
            return None
        return report.report


def accounts(engine: Engine, scope: Scope) -> pd.DataFrame:
    """User accounts (programme leads only), with how many clients each is locked out on,
    their programmes (``programmes``: ids joined by « , »; ``all_programmes``) and whether the
    scope may change them (``manageable``: see ``Scope.can_manage_account``). A lead of some
    programmes sees the accounts of those programmes only (binômes of their territories,
    leads and funders of one of them), and of their programmes only those."""
    scope.require(Permission.MANAGE_ACCOUNTS)
    links = select(AccountProgramme.account_id, AccountProgramme.programme_id).order_by(
        AccountProgramme.programme_id
    )
    every: dict[int, list[str]] = {}
    with engine.connect() as connection:
        for account_id, programme_id in connection.execute(links):
            every.setdefault(account_id, []).append(programme_id)
    programmes = {
        account: shown
        for account, linked in every.items()
        if (shown := [p for p in linked if scope.can_see_programme(p)])
    }
    locked = (
        select(SignInThrottle.email, func.count().label("locked_clients"))
        .where(SignInThrottle.locked_until > dt.datetime.now(dt.UTC))
        .group_by(SignInThrottle.email)
        .subquery()
    )
    query = (
        select(
            UserAccount.id,
            UserAccount.email,
            UserAccount.display_name,
            UserAccount.role,
            UserAccount.territory_id,
            UserAccount.active,
            func.coalesce(locked.c.locked_clients, 0).label("locked_clients"),
            UserAccount.created_at,
            UserAccount.all_programmes,
        )
        .outerjoin(locked, locked.c.email == UserAccount.email)
        .order_by(UserAccount.role, UserAccount.email)
    )
    if scope.territories is not None:
        query = query.where(
            UserAccount.territory_id.in_(sorted(scope.territories))
            | UserAccount.id.in_(sorted(programmes))
        )
    frame = _read(engine, query)
    frame["programmes"] = [", ".join(programmes.get(i, ())) for i in frame["id"]]
    frame["manageable"] = [
        scope.can_manage_account(None if pd.isna(t) else t, every.get(i, ()), bool(all_))
        for i, t, all_ in zip(
            frame["id"], frame["territory_id"], frame["all_programmes"], strict=True
        )
    ]
    return frame


def comments(
    engine: Engine, scope: Scope, territory_id: str | None, month: dt.date
) -> pd.DataFrame:
    """Comments on a month, of one territory or (``None``) of all those the scope may read:
    for leads and the territory's binôme, never for funders."""
    scope.require(Permission.READ_COMMENTS, territory_id)
    reach = scope.reach(Permission.READ_COMMENTS) if territory_id is None else {territory_id}
    query = (
        select(
            ReviewComment.territory_id,
            ReviewComment.created_at,
            UserAccount.display_name.label("author"),
            ReviewComment.body,
            ReviewComment.kind,
        )
        .join(UserAccount, UserAccount.id == ReviewComment.author_id)
        .where(ReviewComment.month == month)
        .order_by(ReviewComment.created_at)
    )
    if reach is not None:
        query = query.where(ReviewComment.territory_id.in_(sorted(reach)))
    return _read(engine, query)


def month_history(engine: Engine, scope: Scope, territory_id: str, month: dt.date) -> pd.DataFrame:
    """The audit trail of a territory's month, oldest first: each write to its journal (saved
    as a draft, submitted, approved, unlocked with its reason), as at (UTC), actor, what."""
    scope.require(Permission.READ_COMMENTS, territory_id)
    columns = ["at", "actor", "what"]
    with engine.connect() as connection:
        journal_id = connection.scalar(
            select(Journal.id).where(Journal.territory_id == territory_id, Journal.month == month)
        )
        if journal_id is None:
            return pd.DataFrame(columns=columns)
        rows = connection.execute(
            select(AuditLog.at, AuditLog.actor, AuditLog.action, AuditLog.details)
            .where(AuditLog.entity == "journal", AuditLog.entity_key == str(journal_id))
            .order_by(AuditLog.id)
        ).all()
    history = []
    for at, actor, action, details in rows:
        details = details or {}
        if action == "unlock":
            what = labels.JOURNAL_UNLOCKED.format(reason=details.get("reason", ""))
        else:
            status = details.get("status")  # [old, new] on an update, the value on an insert
            if status == [JournalStatus.APPROVED, JournalStatus.SUBMITTED]:
                continue  # the unlock, which its own audited row (with the reason) says
            new = status[1] if isinstance(status, list) else status
            what = labels.JOURNAL_WRITE.get(new, labels.JOURNAL_CHANGED)
        history.append((at, actor, what))
    return pd.DataFrame(history, columns=columns)
