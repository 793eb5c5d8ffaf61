"""What an import writes to the database, in the transactions the job opens.

The raw bytes go to ``raw_upload`` in their own transaction (:func:`archive`); an accepted file's
rows, its report and its audit row go in the caller's one transaction (:func:`replace_wave`,
:func:`apply_actors`, :func:`record_import`); a refusal's report in its own
(:func:`store_refusal`). The rows written are those the checks' warnings leave
(:func:`survey_rows`, :func:`actors_wanted`): the parser keeps every value, the checks decide,
the writer obeys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from data.importer.formats import ActorRef
from data.importer.frames import TRUST_FAMILIES, ActorFrames, SurveyFrames
from data.importer.quality.actors import MAX_COMMUNE, MAX_NAME, SLUG
from data.importer.result import ImportResult, Outcome
from data.importer.settings import QualityFile
from data.store.audit import record
from data.store.bulk import insert_frame
from data.store.models import (
    Actor,
    Base,
    ImportReport,
    LikertAnswer,
    RawUpload,
    ResourceContribution,
    Respondent,
    RosterRating,
    SurveyWave,
)

TRUST_COLUMNS = dict(
    zip(TRUST_FAMILIES, ("trust_reliable", "trust_mission", "trust_open"), strict=True)
)
ActorValues = tuple[str, str, str | None]  # name, sector, commune


# -- the journal of imports ----------------------------------------------------------------


def archive(engine: Engine, result: ImportResult, content: bytes) -> None:
    """Store the raw bytes under their hash, committed on their own (once per content)."""
    try:
        with engine.begin() as connection:
            exists = connection.scalar(
                select(func.count()).select_from(RawUpload).where(RawUpload.sha256 == result.sha256)
            )
            if not exists:
                connection.execute(
                    insert(RawUpload).values(
                        sha256=result.sha256,
                        filename=result.filename[:300],
                        size_bytes=len(content),
                        content=content,
                        uploaded_by=result.user,
                        uploaded_at=dt.datetime.now(dt.UTC),
                    )
                )
                record(
                    connection,
                    result.user,
                    "archive",
                    "raw_upload",
                    result.sha256,
                    result.territory_id,
                    {"filename": result.filename, "size_bytes": len(content)},
                )
    except IntegrityError:
        pass  # archived meanwhile by a concurrent upload of the same bytes


def _store_report(connection: Connection, result: ImportResult, outcome: Outcome, rows: int) -> int:
    report = result.report
    return connection.execute(
        insert(ImportReport)
        .values(
            sha256=result.sha256,
            filename=result.filename[:300],
            kind=result.kind,
            territory_id=result.territory_id,
            wave_number=result.wave_number,
            source_format=result.source_format,
            imported_by=result.user,
            imported_at=dt.datetime.now(dt.UTC),
            outcome=outcome,
            errors=len(report.errors),
            warnings=len(report.warnings),
            rows_imported=rows,
            report=report.to_dict(),
        )
        .returning(ImportReport.id)
    ).scalar_one()


def store_refusal(engine: Engine, result: ImportResult) -> None:
    """Store a refused file's report and audit the refusal, in their own transaction."""
    result.report.context["outcome"] = "refused"
    with engine.begin() as connection:
        result.report_id = _store_report(connection, result, "refused", 0)
        record(
            connection,
            result.user,
            "refuse",
            "import_report",
            str(result.report_id),
            result.territory_id,
            {
                "filename": result.filename,
                "sha256": result.sha256,
                "errors": len(result.report.errors),
            },
        )


def record_import(
    connection: Connection,
    result: ImportResult,
    outcome: Outcome,
    rows: int,
    counts: dict[str, int],
    entity: str,
    entity_key: str,
) -> None:
    """Set the result's outcome and counts, then store its report and its one audit row (with
    the territory id: how the indicator refresh learns the territory changed), in the
    caller's transaction."""
    result.outcome = outcome
    result.rows_imported = rows
    result.counts = counts
    result.report.counts = counts
    result.report.context["outcome"] = outcome
    result.report_id = _store_report(connection, result, outcome, rows)
    record(
        connection,
        result.user,
        "import",
        entity,
        entity_key,
        result.territory_id,
        {
            "outcome": outcome,
            "filename": result.filename,
            "sha256": result.sha256,
            "import_report_id": result.report_id,
            **counts,
        },
    )


# -- actors lists --------------------------------------------------------------------------


def actors_wanted(parsed: ActorFrames) -> dict[str, ActorValues]:
    """The organisations to store, by id: the rows no check refused."""
    frame = parsed.actors
    keep = frame["org_id"].notna() & frame["name"].notna() & frame["_sector_valid"].notna()
    keep &= frame["org_id"].str.fullmatch(SLUG).fillna(False)
    keep &= frame["_name_len"] <= MAX_NAME
    keep &= ~frame["org_id"].duplicated(keep=False)
    rows = frame[keep]
    return {
        org: (
            name,
            sector,
            commune if isinstance(commune, str) and len(commune) <= MAX_COMMUNE else None,
        )
        for org, name, sector, commune in zip(
            rows["org_id"], rows["name"], rows["_sector_valid"], rows["commune"], strict=True
        )
    }


def referenced_actors(connection: Connection, actor_ids: Sequence[int]) -> set[int]:
    """The actors among ``actor_ids`` that survey answers name (as respondent or as rated)."""
    if not actor_ids:
        return set()
    ids = list(actor_ids)
    used = set(connection.scalars(select(Respondent.actor_id).where(Respondent.actor_id.in_(ids))))
    used |= set(
        connection.scalars(
            select(RosterRating.rated_actor_id)
            .where(RosterRating.rated_actor_id.in_(ids))
            .distinct()
        )
    )
    return used


def apply_actors(
    connection: Connection,
    territory_id: str,
    wanted: dict[str, ActorValues],
    existing: dict[str, Any],
    added: Sequence[str],
    changed: Sequence[str],
    removed: Sequence[str],
) -> None:
    """Apply an actors list's changes in the caller's transaction."""
    if added:
        connection.execute(
            insert(Actor),
            [
                {
                    "territory_id": territory_id,
                    "org_id": org,
                    "name": wanted[org][0],
                    "sector": wanted[org][1],
                    "commune": wanted[org][2],
                }
                for org in added
            ],
        )
    for org in changed:
        name, sector, commune = wanted[org]
        connection.execute(
            update(Actor)
            .where(Actor.id == existing[org].id)
            .values(name=name, sector=sector, commune=commune)
        )
    if removed:
        connection.execute(delete(Actor).where(Actor.id.in_([existing[o].id for o in removed])))


# -- survey waves --------------------------------------------------------------------------


@dataclass
class SurveyRows:
    """The rows to store, after the checks' warnings have left values out."""

    respondents: pd.DataFrame  # _row, respondent_key, actor_id, sector, submitted_at
    likert: pd.DataFrame  # _row, item, value
    contrib: pd.DataFrame  # _row, resource_type
    roster: pd.DataFrame  # _row, rated_actor_id, level, trust_reliable, trust_mission, trust_open

    def counts(self, parsed: SurveyFrames) -> dict[str, int]:
        """What the report and the audit row count."""
        return {
            "rows_read": int(len(parsed.respondents) + len(parsed.incomplete_rows)),
            "respondents": len(self.respondents),
            "likert": len(self.likert),
            "contributions": len(self.contrib),
            "ratings": len(self.roster),
            "left_out": int(len(parsed.respondents) - len(self.respondents)),
        }


def survey_rows(parsed: SurveyFrames, actors: list[ActorRef], settings: QualityFile) -> SurveyRows:
    """Leave out what the database cannot hold or the rules ignore (reported as warnings)."""
    actor_id = {a.org_id: a.id for a in actors}
    actor_sector = {a.org_id: a.sector for a in actors}
    r = parsed.respondents
    keep = r["respondent_id"].notna() & (r["_respondent_len"] <= 100)
    keep &= ~r["respondent_id"].duplicated(keep=False) | r["respondent_id"].isna()
    keep &= r["org_id"].isin(list(actor_id))
    keep &= r["submitted_at"].notna()
    kept = r[keep]
    # With sector_matches_actors left out of the suite, the file's own sector is believed.
    use_file_sector = "sector_matches_actors" not in settings.suites.get("survey", {})
    sectors = kept["org_id"].map(actor_sector)
    if use_file_sector:
        sectors = kept["_sector_valid"].where(kept["_sector_valid"].notna(), sectors)
    respondents = pd.DataFrame(
        {
            "_row": kept["_row"].to_numpy(),
            "respondent_key": kept["respondent_id"].to_numpy(dtype=object),
            "actor_id": kept["org_id"].map(actor_id).astype(np.int64).to_numpy(),
            "sector": sectors.to_numpy(dtype=object),
            "submitted_at": kept["submitted_at"].dt.date.to_numpy(dtype=object),
        }
    )
    rows = set(respondents["_row"].tolist())

    likert = parsed.likert
    likert = likert[likert["_row"].isin(rows) & likert["value"].isin([1, 2, 3, 4, 5])]
    likert = likert[["_row", "item", "value"]].astype({"value": np.int64})

    contrib = parsed.contrib
    contrib = contrib[contrib["_row"].isin(rows) & (contrib["value"] == 1)]
    contrib = contrib[contrib["resource_type"].notna()][["_row", "resource_type"]]
    contrib = contrib.drop_duplicates()

    roster = parsed.roster
    roster = roster[
        roster["_row"].isin(rows)
        & roster["rated_known"].astype(bool)
        & ~roster["_self"].astype(bool)
        & roster["level"].isin([0, 1, 2, 3, 4, 5])
    ].copy()
    tie = roster["level"] >= 1
    trust = {}
    for family, column in TRUST_COLUMNS.items():
        values = roster[family].where(roster[family].isin([1, 2, 3, 4]) & tie)
        trust[column] = pd.array(values.to_numpy(dtype=float), dtype="Int64")
    roster_rows = pd.DataFrame(
        {
            "_row": roster["_row"].to_numpy(),
            "rated_actor_id": roster["rated_org"].map(actor_id).astype(np.int64).to_numpy(),
            "level": roster["level"].astype(np.int64).to_numpy(),
            **trust,
        }
    )
    roster_rows = roster_rows.drop_duplicates(["_row", "rated_actor_id"])
    return SurveyRows(respondents, likert.reset_index(drop=True), contrib, roster_rows)


def replace_wave(
    connection: Connection, territory_id: str, wave_number: int, rows: SurveyRows
) -> bool:
    """Replace a wave's rows (creating the wave if new) in the caller's transaction; whether
    the wave had rows before."""
    wave_id = connection.scalar(
        select(SurveyWave.id)
        .where(SurveyWave.territory_id == territory_id, SurveyWave.number == wave_number)
        .with_for_update()
    )
    if wave_id is None:
        wave_id = connection.execute(
            insert(SurveyWave)
            .values(territory_id=territory_id, number=wave_number)
            .returning(SurveyWave.id)
        ).scalar_one()
    had_rows = connection.scalar(
        select(func.count()).select_from(Respondent).where(Respondent.wave_id == wave_id)
    )
    connection.execute(delete(Respondent).where(Respondent.wave_id == wave_id))
    write_rows(connection, wave_id, rows)
    return bool(had_rows)


def write_rows(connection: Connection, wave_id: int, rows: SurveyRows) -> None:
    """Insert the respondents, then their answers, in the caller's transaction."""
    respondents = rows.respondents.assign(wave_id=wave_id)
    _bulk(
        connection,
        Respondent.__tablename__,
        respondents[["wave_id", "respondent_key", "actor_id", "sector", "submitted_at"]],
    )
    ids = dict(
        connection.execute(
            select(Respondent.respondent_key, Respondent.id).where(Respondent.wave_id == wave_id)
        ).all()
    )
    by_row = pd.Series(
        respondents["respondent_key"].map(ids).to_numpy(dtype=np.int64),
        index=respondents["_row"].to_numpy(),
    )

    def with_id(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        out = frame[columns].copy()
        out.insert(0, "respondent_id", by_row.loc[frame["_row"].to_numpy()].to_numpy())
        return out

    _bulk(connection, LikertAnswer.__tablename__, with_id(rows.likert, ["item", "value"]))
    _bulk(connection, ResourceContribution.__tablename__, with_id(rows.contrib, ["resource_type"]))
    _bulk(
        connection,
        RosterRating.__tablename__,
        with_id(rows.roster, ["rated_actor_id", "level", *TRUST_COLUMNS.values()]),
    )


def _bulk(connection: Connection, table: str, frame: pd.DataFrame) -> None:
    """Insert a frame's rows fast (COPY on PostgreSQL, positional rows on SQLite)."""
    insert_frame(connection, Base.metadata.tables[table], frame)
