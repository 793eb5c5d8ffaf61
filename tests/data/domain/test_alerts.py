"""Monthly alerts, on hand-built inputs."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.config import get_config
from data.domain.alerts import monthly_alerts

MONTH = dt.date(2026, 11, 1)
LABELS = {"emergence": "1 · Émergence", "structuration": "2 · Structuration"}


def _values(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["territory_id", "indicator_id", "value", "status"])


def test_each_kind_of_alert() -> None:
    territories = pd.DataFrame(
        {
            "territory_id": ["a", "b", "c", "later"],
            "start_date": [
                dt.date(2024, 1, 1),
                dt.date(2024, 1, 1),
                dt.date(2026, 6, 1),
                dt.date(2027, 1, 1),
            ],
        }
    )
    journals = pd.DataFrame(
        {"territory_id": ["a", "b"], "month": [MONTH, MONTH], "status": ["submitted", "draft"]}
    )
    # a: last wave 2026-05 → 6 months old, fine; b: 2026-03 → 8 months, stale;
    # c: started 2026-06 with no wave → 5 months, not yet stale.
    waves = pd.DataFrame(
        {"territory_id": ["a", "b"], "reference_month": [dt.date(2026, 5, 1), dt.date(2026, 3, 1)]}
    )
    imports = pd.DataFrame(
        {
            "territory_id": ["a", "a"],
            "imported_at": [
                pd.Timestamp("2026-11-05", tz="UTC"),
                pd.Timestamp("2026-10-05", tz="UTC"),
            ],
            "outcome": ["refused", "refused"],
            "filename": ["vague3.csv", "ancien.csv"],
        }
    )
    # interconnaissance_density is a ratio, higher is better: 0.40 → 0.25 drops 0.15 ≥ 0.10.
    # factor_confiance: 3.2 → 3.0 drops 0.2 < 0.5: no alert. An « upcoming » drop: no alert.
    values = _values(
        [
            ("a", "interconnaissance_density", 0.25, "watch"),
            ("a", "factor_confiance", 3.0, "discuss"),
            ("b", "trust_score", 2.0, "upcoming"),
        ]
    )
    previous = _values(
        [
            ("a", "interconnaissance_density", 0.40, "discuss"),
            ("a", "factor_confiance", 3.2, "discuss"),
            ("b", "trust_score", 3.5, "upcoming"),
        ]
    )
    stages = pd.DataFrame(
        {
            "territory_id": ["a", "b"],
            "month": [MONTH, MONTH],
            "declared_stage": ["structuration", "emergence"],
            "inferred_stage": ["emergence", "emergence"],
            "disagreement": [True, False],
        }
    )
    alerts = monthly_alerts(
        MONTH,
        territories,
        journals,
        waves,
        imports,
        values,
        previous,
        stages,
        get_config().load_catalogue(),
        LABELS,
    )
    got = sorted(zip(alerts["territory_id"], alerts["kind"], strict=True))
    assert got == [
        ("a", "drop"),
        ("a", "refused_import"),
        ("a", "stage_disagreement"),
        ("b", "draft_journal"),
        ("b", "stale_survey"),
        ("c", "no_journal"),
    ]
    message = dict(zip(alerts["kind"], alerts["message"], strict=True))
    assert message["refused_import"] == "Import refusé ce mois-ci : « vague3.csv »."
    assert message["stage_disagreement"] == (
        "Étape déclarée 2 · Structuration, étape mesurée 1 · Émergence."
    )
    assert message["drop"].endswith("40\u00a0% → 25\u00a0%.")
    assert message["stale_survey"] == "Enquête de plus de 7 mois (dernière vague en mars 2026)."


def test_an_unlock_request_is_an_alert_while_the_month_stays_approved() -> None:
    territories = pd.DataFrame(
        {"territory_id": ["a", "b", "c"], "start_date": [dt.date(2024, 1, 1)] * 3}
    )
    approved_at = pd.Timestamp("2026-11-20 10:00", tz="UTC")
    # a: approved, then asked (pending); b: asked, then unlocked (now submitted); c: asked
    # before its approval of the 20th (an older request the approval answered).
    journals = pd.DataFrame(
        {
            "territory_id": ["a", "b", "c"],
            "month": [MONTH] * 3,
            "status": ["approved", "submitted", "approved"],
            "approved_at": [approved_at, None, approved_at],
        }
    )
    requests = pd.DataFrame(
        {
            "territory_id": ["a", "b", "c"],
            "created_at": [
                dt.datetime(2026, 11, 21, 9, 0),  # naive, as SQLite gives it: UTC
                dt.datetime(2026, 11, 21, 9, 0),
                dt.datetime(2026, 11, 19, 9, 0),
            ],
            "body": ["Corriger le nombre d'entretiens.", "x" * 12, "y" * 12],
        }
    )
    empty_values = _values([])
    stages = pd.DataFrame(
        columns=["territory_id", "month", "declared_stage", "inferred_stage", "disagreement"]
    )
    alerts = monthly_alerts(
        MONTH,
        territories,
        journals,
        pd.DataFrame(columns=["territory_id", "reference_month"]),
        pd.DataFrame(columns=["territory_id", "imported_at", "outcome", "filename"]),
        empty_values,
        empty_values,
        stages,
        get_config().load_catalogue(),
        LABELS,
        unlock_requests=requests,
    )
    asked = alerts[alerts["kind"] == "unlock_request"]
    assert list(asked["territory_id"]) == ["a"]
    assert asked["message"].iloc[0] == "Le binôme demande : « Corriger le nombre d'entretiens. »"
