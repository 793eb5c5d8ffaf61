"""Import-and-refresh (the CLI's and the Import page's one path), on SQLite and PostgreSQL: after
an import that changed rows, the territory's stored indicators are fresh."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data.access import Scope
from data.services.imports import import_and_refresh
from data.store.indicator_store import stale_territories
from data.store.models import AuditLog, IndicatorValue
from tests.data.importer.conftest import FILES

ACTORS = FILES / "good" / "actors_roya.csv"
WAVE0 = FILES / "good" / "survey_roya_w0.csv"
WAVE1 = FILES / "good" / "survey_roya_w1.csv"
ANNE, PAUL = Scope.system("anne"), Scope.system("paul")  # who imports


def _value(engine: Engine, indicator: str, month: dt.date) -> tuple[float | None, int]:
    with engine.connect() as connection:
        row = connection.execute(
            select(IndicatorValue.value, IndicatorValue.n).where(
                IndicatorValue.territory_id == "roya",
                IndicatorValue.indicator_id == indicator,
                IndicatorValue.month == month,
            )
        ).one()
    return row.value, row.n


def test_an_import_that_changes_rows_leaves_the_territory_s_indicators_fresh(
    engine: Engine,
) -> None:
    said: list[str] = []

    listing = import_and_refresh(
        engine, "actors", ACTORS.read_bytes(), ACTORS.name, "roya", ANNE, progress=said.append
    )
    wave0 = import_and_refresh(
        engine,
        "survey",
        WAVE0.read_bytes(),
        WAVE0.name,
        "roya",
        ANNE,
        wave_number=0,
        progress=said.append,
    )

    assert (listing.outcome, wave0.outcome) == ("imported", "imported")
    assert "roya" not in stale_territories(engine)
    assert len(said) == 2 and said[1].startswith("Indicateurs de « roya » recalculés : ")
    # Wave 0 (May 2024): five respondents from five organisations of five different sectors
    # (collectivité, association, entreprise, habitant, État), so the Blau index is
    # 1 − 5 × (1/5)² = 0.8 over n = 5; five of the six listed organisations answered (the
    # centre social did not), and no journal records any event: 5 actors mobilised, n = 6.
    value, n = _value(engine, "sector_diversity", dt.date(2024, 5, 1))
    assert value == pytest.approx(0.8) and n == 5
    assert _value(engine, "actors_mobilised", dt.date(2024, 5, 1)) == (5, 6)
    with engine.connect() as connection:
        computed_by = connection.scalars(
            select(AuditLog.actor).where(AuditLog.action == "compute")
        ).all()
    assert computed_by == ["anne", "anne"]


def test_a_file_on_disk_refreshes_too_and_a_dry_run_or_an_unchanged_file_does_not(
    engine: Engine,
) -> None:
    said: list[str] = []
    for path, wave in ((ACTORS, None), (WAVE0, 0)):
        import_and_refresh(
            engine,
            "actors" if wave is None else "survey",
            path,
            path.name,
            "roya",
            PAUL,
            wave_number=wave,
            progress=said.append,
        )

    checked = import_and_refresh(
        engine,
        "survey",
        WAVE1,
        WAVE1.name,
        "roya",
        PAUL,
        wave_number=1,
        dry_run=True,
        progress=said.append,
    )
    again = import_and_refresh(
        engine, "survey", WAVE0, WAVE0.name, "roya", PAUL, wave_number=0, progress=said.append
    )
    wave1 = import_and_refresh(
        engine, "survey", WAVE1, WAVE1.name, "roya", PAUL, wave_number=1, progress=said.append
    )

    assert (checked.outcome, again.outcome, wave1.outcome) == ("checked", "unchanged", "imported")
    assert len(said) == 3  # the actors list, wave 0 and wave 1: not the dry run, nor the copy
    assert "roya" not in stale_territories(engine)
    # Wave 1 (November 2024) has the same five organisations as wave 0: the same 0.8 (n = 5).
    value, n = _value(engine, "sector_diversity", dt.date(2024, 11, 1))
    assert value == pytest.approx(0.8) and n == 5


def test_retrying_a_file_whose_refresh_was_interrupted_mends_the_indicators(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process dies after the import's commit, during the indicator refresh: the same
    file again is « unchanged », and the refresh that follows recomputes the stale territory
    (before, an unchanged file skipped the refresh and the indicators stayed stale)."""
    from data.services import imports

    import_and_refresh(engine, "actors", ACTORS, ACTORS.name, "roya", PAUL)
    real_compute = imports.compute

    def killed(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt  # what a kill looks like from inside: nothing more runs

    monkeypatch.setattr(imports, "compute", killed)
    with pytest.raises(KeyboardInterrupt):
        import_and_refresh(engine, "survey", WAVE0, WAVE0.name, "roya", PAUL, wave_number=0)
    assert "roya" in stale_territories(engine)
    monkeypatch.setattr(imports, "compute", real_compute)
    again = import_and_refresh(engine, "survey", WAVE0, WAVE0.name, "roya", PAUL, wave_number=0)
    assert again.outcome == "unchanged"
    assert "roya" not in stale_territories(engine)
    value, n = _value(engine, "sector_diversity", dt.date(2024, 5, 1))
    assert value == pytest.approx(0.8) and n == 5  # 1 − 5 × (1/5)², five sectors
