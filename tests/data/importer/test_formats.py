"""The same answers, exported by each tool or saved by Excel in its many ways, store the same rows.

``files/formats/`` holds twelve respondents' answers (``expected_answers.csv``) as the plain
template (CSV with its wording row, XLSX with title rows), KoboToolbox (CSV with XML names and
group paths; XLSX with labels for headers and values), ODK Central CSV and LimeSurvey CSV (with
two unfinished responses), and the template in Windows-1252 with commas, UTF-16 with tabs, with
ISO dates and without the wording row, and with decimal commas.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data.config import get_config
from data.importer import import_survey
from data.store.models import (
    Actor,
    LikertAnswer,
    ResourceContribution,
    Respondent,
    RosterRating,
    SurveyWave,
)
from tests.data.importer.conftest import FILES, load_roya

FORMATS = FILES / "formats"
EXPECTED_FORMAT = {
    "template.csv": "template",
    "template.xlsx": "template",
    "kobo.csv": "kobotoolbox",
    "kobo_labels.xlsx": "kobotoolbox",
    "odk_central.csv": "odk_central",
    "limesurvey.csv": "limesurvey",
    "template_cp1252_comma.csv": "template",
    "template_tab_utf16.txt": "template",
    "template_iso_dates_no_wording.csv": "template",
    "template_decimal_commas.csv": "template",
}
Rows = dict[str, tuple]


def stored_rows(engine: Engine, territory: str, wave: int) -> Rows:
    """Everything stored for a wave, keyed by respondent id, in comparable form."""
    with engine.connect() as connection:
        respondents = connection.execute(
            select(
                Respondent.id,
                Respondent.respondent_key,
                Actor.org_id,
                Respondent.sector,
                Respondent.submitted_at,
            )
            .join(SurveyWave, SurveyWave.id == Respondent.wave_id)
            .join(Actor, Actor.id == Respondent.actor_id)
            .where(SurveyWave.territory_id == territory, SurveyWave.number == wave)
        ).all()
        ids = [r.id for r in respondents]
        likert: dict[int, list] = {i: [] for i in ids}
        for row in connection.execute(
            select(LikertAnswer.respondent_id, LikertAnswer.item, LikertAnswer.value).where(
                LikertAnswer.respondent_id.in_(ids)
            )
        ):
            likert[row.respondent_id].append((row.item, row.value))
        contrib: dict[int, list] = {i: [] for i in ids}
        for row in connection.execute(
            select(ResourceContribution.respondent_id, ResourceContribution.resource_type).where(
                ResourceContribution.respondent_id.in_(ids)
            )
        ):
            contrib[row.respondent_id].append(row.resource_type)
        roster: dict[int, list] = {i: [] for i in ids}
        for row in connection.execute(
            select(
                RosterRating.respondent_id,
                Actor.org_id,
                RosterRating.level,
                RosterRating.trust_reliable,
                RosterRating.trust_mission,
                RosterRating.trust_open,
            )
            .join(Actor, Actor.id == RosterRating.rated_actor_id)
            .where(RosterRating.respondent_id.in_(ids))
        ):
            roster[row[0]].append(tuple(row[1:]))
    return {
        r.respondent_key: (
            r.org_id,
            r.sector,
            r.submitted_at,
            tuple(sorted(likert[r.id])),
            tuple(sorted(contrib[r.id])),
            tuple(sorted(roster[r.id])),
        )
        for r in respondents
    }


def expected_rows() -> Rows:
    """What the generator wrote, in the same form."""
    answers = pd.read_csv(FORMATS / "expected_answers.csv")
    rows: Rows = {}
    for record in answers.to_dict("records"):
        likert, contrib, roster = [], [], {}
        for column, value in record.items():
            if isinstance(value, float) and math.isnan(value):
                continue
            if column.startswith("contrib_"):
                if value == 1:
                    contrib.append(column[8:])
            elif "__" in column:
                family, org = column.split("__", 1)
                roster.setdefault(org, {})[family] = int(value)
            elif column in get_config().survey.likert_items:
                likert.append((column, int(value)))
        rows[record["respondent_id"]] = (
            record["org_id"],
            record["sector"],
            dt.date.fromisoformat(record["submitted_at"]),
            tuple(sorted(likert)),
            tuple(sorted(contrib)),
            tuple(
                sorted(
                    (org, r["level"], r.get("fiab"), r.get("mission"), r.get("ouverture"))
                    for org, r in roster.items()
                    if "level" in r
                )
            ),
        )
    return rows


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMAT))
def test_every_export_of_the_same_answers_stores_the_same_rows(engine: Engine, name: str) -> None:
    load_roya(engine, wave0=False)
    content = (FORMATS / name).read_bytes()

    result = import_survey(engine, content, name, "roya", 0, "formats")

    assert result.outcome == "imported", result.render_text()
    assert result.source_format == EXPECTED_FORMAT[name]
    expected = expected_rows()
    stored = stored_rows(engine, "roya", 0)
    if name == "limesurvey.csv":
        # LimeSurvey numbers its responses 1, 2, …: same answers, in the same order.
        keys = list(expected)
        stored = {keys[int(k) - 1]: v for k, v in stored.items()}
        incomplete = result.report.find("incomplete_responses")
        assert incomplete is not None and incomplete.rows == [14, 15]
        assert [c.check_id for c in result.report.checks] == ["incomplete_responses"]
    else:
        assert result.report.checks == [], result.render_text()
    assert stored == expected
    assert result.counts["respondents"] == len(expected)


def test_all_formats_agree_with_each_other(engine: Engine) -> None:
    """Imported one after the other into the same wave, each replaces the previous rows with
    identical ones (LimeSurvey aside, whose ids are its own)."""
    load_roya(engine, wave0=False)
    reference = None
    for name in sorted(EXPECTED_FORMAT):
        if name == "limesurvey.csv":
            continue
        result = import_survey(engine, (FORMATS / name).read_bytes(), name, "roya", 0, "f")
        assert result.outcome in ("imported", "replaced"), result.render_text()
        rows = stored_rows(engine, "roya", 0)
        if reference is None:
            reference = rows
        assert rows == reference, name
