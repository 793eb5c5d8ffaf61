"""Synthetic actors lists and survey answers, written the way each tool exports them.

Used by the tests (the same answers as template, KoboToolbox, ODK Central and LimeSurvey
files) and by the import benchmark. The shapes follow the tools' exports: KoboToolbox's
group paths joined with ``/``, ``_uuid`` and ``_submission_time`` in UTC, its ``;`` CSV and its
"labels" XLSX; ODK Central's ``-`` paths, ``KEY`` and ``SubmissionDate``; LimeSurvey's
``code[subcode]`` columns, answer codes and unfinished responses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Sequence

import numpy as np
import pandas as pd

from data.config import AppConfig, get_config
from data.importer.formats import ActorRef, key
from data.importer.settings import ImportFormats, import_formats

SECTOR_CODES = {  # LimeSurvey answer codes are at most 5 characters
    "association": "asso",
    "entreprise": "entr",
    "collectivite": "coll",
    "habitant": "hab",
    "etat": "etat",
    "autre": "autre",
}
FAMILIES = ("level", "fiab", "mission", "ouverture")


def sample_actors(count: int = 8, seed: int = 1) -> list[ActorRef]:
    """``count`` organisations with slug ids and a spread of sectors."""
    rng = np.random.default_rng(seed)
    sectors = ["association", "entreprise", "collectivite", "habitant", "etat", "autre"]
    kinds = {
        "association": "Association",
        "entreprise": "Entreprise",
        "collectivite": "Mairie",
        "habitant": "Collectif d'habitants",
        "etat": "Service de l'État",
        "autre": "Structure",
    }
    actors = []
    for i in range(count):
        sector = sectors[int(rng.integers(len(sectors)))] if i >= len(sectors) else sectors[i]
        actors.append(ActorRef(f"org-{i + 1:03d}", f"{kinds[sector]} n°{i + 1}", sector))
    return actors


def actors_frame(actors: Sequence[ActorRef]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "org_id": [a.org_id for a in actors],
            "name": [a.name for a in actors],
            "sector": [a.sector for a in actors],
            "commune": ["Breil-sur-Roya" if i % 2 else "Tende" for i in range(len(actors))],
        }
    )


def sample_answers(
    actors: Sequence[ActorRef],
    respondents: int = 20,
    seed: int = 7,
    start: dt.date = dt.date(2024, 5, 2),
    days: int = 20,
    config: AppConfig | None = None,
) -> pd.DataFrame:
    """One row per respondent in our column names; ``NaN`` where a question was not answered.

    ``submitted_at`` holds the date; ``_time`` the local time of day (for tools' timestamps).
    """
    config = config or get_config()
    rng = np.random.default_rng(seed)
    n = respondents
    orgs = rng.integers(len(actors), size=n)
    data: dict[str, object] = {
        "respondent_id": [str(uuid.UUID(int=int(rng.integers(2**62)) << 64 | i)) for i in range(n)],
        "org_id": [actors[i].org_id for i in orgs],
        "sector": [actors[i].sector for i in orgs],
        "submitted_at": [start + dt.timedelta(days=int(d)) for d in rng.integers(days, size=n)],
        "_time": [
            dt.time(int(h), int(m))
            for h, m in zip(rng.integers(9, 19, size=n), rng.integers(60, size=n), strict=True)
        ],
    }
    for item in config.survey.likert_items:
        values = rng.integers(1, 6, size=n).astype(float)
        values[rng.random(n) < 0.05] = np.nan
        data[item] = values
    for resource in config.survey.resource_types:
        data[f"contrib_{resource.id}"] = (rng.random(n) < 0.3).astype(float)
    for j, actor in enumerate(actors):
        level = rng.choice([0, 0, 0, 1, 1, 2, 3, 4, 5], size=n).astype(float)
        level[orgs == j] = np.nan  # nobody rates their own organisation
        level[rng.random(n) < 0.03] = np.nan
        data[f"level__{actor.org_id}"] = level
        for family in FAMILIES[1:]:
            trust = rng.integers(1, 5, size=n).astype(float)
            trust[~(level >= 1)] = np.nan
            data[f"{family}__{actor.org_id}"] = trust
    return pd.DataFrame(data)


def _number(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(int(value))  # type: ignore[call-overload]


def _csv_text(rows: Sequence[Sequence[str]], separator: str, quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=separator,
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    return buffer.getvalue()


def _answer_columns(answers: pd.DataFrame) -> list[str]:
    return [
        c
        for c in answers.columns
        if c not in ("respondent_id", "org_id", "sector", "submitted_at", "_time")
    ]


def template_csv(
    answers: pd.DataFrame,
    actors: Sequence[ActorRef],
    *,
    separator: str = ";",
    encoding: str = "utf-8-sig",
    wording_row: bool = True,
    french_dates: bool = True,
) -> bytes:
    """The plain template as filled in Excel: wording row, names row, one row per answer."""
    from data.importer.templates import survey_columns

    columns = survey_columns(actors)
    codes = [c.code for c in columns]
    rows: list[list[str]] = []
    if wording_row:
        rows.append([c.wording for c in columns])
    rows.append(codes)
    for record in answers.to_dict("records"):
        row = []
        for code in codes:
            value = record.get(code)
            if code == "submitted_at":
                row.append(value.strftime("%d/%m/%Y") if french_dates else value.isoformat())
            elif code in ("respondent_id", "org_id", "sector"):
                row.append("" if value is None else str(value))
            else:
                row.append(_number(value))
        rows.append(row)
    return _csv_text(rows, separator).encode(encoding)


def template_xlsx(answers: pd.DataFrame, actors: Sequence[ActorRef]) -> bytes:
    """The XLSX template filled in: answers under the names row (row 4), dates as dates."""
    from openpyxl import load_workbook

    from data.importer.templates import survey_template

    workbook = load_workbook(io.BytesIO(survey_template(list(actors), "xlsx")))
    sheet = workbook["Réponses"]
    codes = [cell.value for cell in sheet[4]]
    for offset, record in enumerate(answers.to_dict("records")):
        for index, code in enumerate(codes, start=1):
            value = record.get(code)
            if code == "submitted_at" or code in ("respondent_id", "org_id", "sector"):
                sheet.cell(5 + offset, index, value)
            elif value is not None and not (isinstance(value, float) and np.isnan(value)):
                sheet.cell(5 + offset, index, int(value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _utc(date: dt.date, time: dt.time, zone: str) -> dt.datetime:
    from zoneinfo import ZoneInfo

    local = dt.datetime.combine(date, time).replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def kobo_csv(
    answers: pd.DataFrame, actors: Sequence[ActorRef], formats: ImportFormats | None = None
) -> bytes:
    """A KoboToolbox CSV export (XML names, ``;``, group paths, meta columns)."""
    formats = formats or import_formats()
    answer_columns = _answer_columns(answers)
    contrib = [c for c in answer_columns if c.startswith("contrib_")]
    header = ["start", "end", "today", "deviceid", "identification/org_id", "identification/sector"]
    header += [f"barometre/{c}" for c in answer_columns if c not in contrib and "__" not in c]
    header += ["ressources/contrib"] + [f"ressources/contrib/{c[8:]}" for c in contrib]
    header += [f"roster/{c}" for c in answer_columns if "__" in c]
    header += [
        "meta/instanceID",
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "__version__",
        "_tags",
        "_index",
    ]
    rows = [header]
    for index, record in enumerate(answers.to_dict("records"), start=1):
        moment = _utc(record["submitted_at"], record["_time"], formats.timezone)
        local = moment.astimezone(_zone(formats))
        row = [
            (local - dt.timedelta(minutes=12)).isoformat(timespec="milliseconds"),
            local.isoformat(timespec="milliseconds"),
            record["submitted_at"].isoformat(),
            "collect:abc123",
            record["org_id"],
            record["sector"],
        ]
        row += [_number(record[c]) for c in answer_columns if c not in contrib and "__" not in c]
        ticked = [c[8:] for c in contrib if record[c] == 1]
        row += [" ".join(ticked)] + [_number(record[c]) for c in contrib]
        row += [_number(record[c]) for c in answer_columns if "__" in c]
        row += [
            f"uuid:{record['respondent_id']}",
            str(100000 + index),
            record["respondent_id"],
            moment.replace(tzinfo=None).isoformat(timespec="seconds"),
            "",
            "[]",
            "submitted_via_web",
            "",
            "vQx7bXk2Lr",
            "[]",
            str(index),
        ]
        rows.append(row)
    return _csv_text(rows, ";").encode("utf-8")


def _zone(formats: ImportFormats) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(formats.timezone)


def kobo_labels_xlsx(
    answers: pd.DataFrame,
    actors: Sequence[ActorRef],
    config: AppConfig | None = None,
    formats: ImportFormats | None = None,
) -> bytes:
    """A KoboToolbox XLSX export with "labels" for headers and values."""
    from openpyxl import Workbook

    config = config or get_config()
    formats = formats or import_formats()
    labels = formats.survey.labels
    names = {a.org_id: a.name for a in actors}
    sector_label = {s.id: s.label for s in config.survey.sectors}
    wording = {i: w for f in config.survey.factors for i, w in f.items.items()}
    likert_label = {k: v[0] for k, v in formats.value_labels.likert.items()}
    trust_label = {k: v[0] for k, v in formats.value_labels.trust.items()}
    level_label = config.survey.collaboration_levels
    resource_label = {r.id: r.label for r in config.survey.resource_types}
    answer_columns = _answer_columns(answers)
    header = ["start", "end", labels.org_id[0], labels.sector[0]]
    kinds: list[tuple[str, str]] = []
    for column in answer_columns:
        if column.startswith("contrib_"):
            header.append(f"Ressources apportées/{resource_label[column[8:]]}")
            kinds.append((column, "flag"))
        elif "__" in column:
            family, org = column.split("__", 1)
            pattern = labels.roster(family) or ""
            header.append(pattern.replace("{org}", names[org]))
            kinds.append((column, "level" if family == "level" else "trust"))
        else:
            header.append(f"Baromètre/{wording[column]}")
            kinds.append((column, "likert"))
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Baromètre des coopérations"
    sheet.append(header)
    for index, record in enumerate(answers.to_dict("records"), start=1):
        moment = _utc(record["submitted_at"], record["_time"], formats.timezone)
        local = moment.astimezone(_zone(formats))
        row: list[object] = [
            local.isoformat(timespec="milliseconds"),
            local.isoformat(timespec="milliseconds"),
            names[record["org_id"]],
            sector_label[record["sector"]],
        ]
        for column, kind in kinds:
            value = record[column]
            if isinstance(value, float) and np.isnan(value):
                row.append(None)
            elif kind == "likert":
                row.append(likert_label[int(value)])
            elif kind == "level":
                row.append(level_label[int(value)])
            elif kind == "trust":
                row.append(trust_label[int(value)])
            else:
                row.append(int(value))
        row += [
            100000 + index,
            record["respondent_id"],
            moment.replace(tzinfo=None).isoformat(timespec="seconds"),
            None,
            index,
        ]
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odk_csv(answers: pd.DataFrame, actors: Sequence[ActorRef]) -> bytes:
    """An ODK Central CSV export (``-`` paths, ``KEY``, ``SubmissionDate`` in UTC)."""
    formats = import_formats()
    answer_columns = _answer_columns(answers)
    contrib = [c for c in answer_columns if c.startswith("contrib_")]
    header = [
        "SubmissionDate",
        "start",
        "end",
        "today",
        "identification-org_id",
        "identification-sector",
    ]
    header += [f"barometre-{c}" for c in answer_columns if c not in contrib and "__" not in c]
    header += ["ressources-contrib"]
    header += [f"roster-{c}" for c in answer_columns if "__" in c]
    header += [
        "meta-instanceID",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    ]
    rows = [header]
    for record in answers.to_dict("records"):
        moment = _utc(record["submitted_at"], record["_time"], formats.timezone)
        local = moment.astimezone(_zone(formats))
        row = [
            moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
            (local - dt.timedelta(minutes=9)).isoformat(timespec="milliseconds"),
            local.isoformat(timespec="milliseconds"),
            record["submitted_at"].isoformat(),
            record["org_id"],
            record["sector"],
        ]
        row += [_number(record[c]) for c in answer_columns if c not in contrib and "__" not in c]
        row += [" ".join(c[8:] for c in contrib if record[c] == 1)]
        row += [_number(record[c]) for c in answer_columns if "__" in c]
        row += [
            f"uuid:{record['respondent_id']}",
            f"uuid:{record['respondent_id']}",
            "12",
            "enquêteur Roya",
            "0",
            "0",
            "",
            "",
            "collect:xyz",
            "0",
            "2024050201",
        ]
        rows.append(row)
    return _csv_text(rows, ",").encode("utf-8")


def limesurvey_csv(answers: pd.DataFrame, actors: Sequence[ActorRef], unfinished: int = 0) -> bytes:
    """A LimeSurvey CSV export (codes, ``code[subcode]``, all quoted), with ``unfinished``
    responses that were started but never submitted."""
    answer_columns = _answer_columns(answers)
    header = [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
        "org",
        "sector",
    ]
    for column in answer_columns:
        if column.startswith("contrib_"):
            header.append(f"contrib[{column[8:]}]")
        elif "__" in column:
            family, org = column.split("__", 1)
            header.append(f"{family}[{key(org)}]")
        else:
            header.append(f"likert[{key(column)}]")
    rows = [header]
    records = answers.to_dict("records")
    for index, record in enumerate(records, start=1):
        moment = dt.datetime.combine(record["submitted_at"], record["_time"])
        row = [
            str(index),
            moment.strftime("%Y-%m-%d %H:%M:%S"),
            "4",
            "fr",
            "123456",
            (moment - dt.timedelta(minutes=15)).strftime("%Y-%m-%d %H:%M:%S"),
            moment.strftime("%Y-%m-%d %H:%M:%S"),
            key(record["org_id"]),
            SECTOR_CODES[record["sector"]],
        ]
        for column in answer_columns:
            value = record[column]
            if column.startswith("contrib_"):
                row.append("Y" if value == 1 else "")
            else:
                row.append(_number(value))
        rows.append(row)
    for extra in range(unfinished):
        rows.append(
            [
                str(len(records) + extra + 1),
                "",
                "1",
                "fr",
                "654321",
                "2024-05-03 10:00:00",
                "2024-05-03 10:02:00",
                key(records[0]["org_id"]),
                "",
            ]
            + ["" for _ in answer_columns]
        )
    return ("\ufeff" + _csv_text(rows, ",", quote_all=True)).encode("utf-8")
