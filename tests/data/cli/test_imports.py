"""``cooperascope import …`` through :func:`data.cli.imports.register`, on both backends.

The commands are registered on a parser built like ``data.cli.main.build_parser``'s, and run the way
``data.cli.main.main`` runs a handler: a ``CliError`` means exit status 1. The indicator refreshes
they run (through :func:`data.services.imports.import_and_refresh`) are recorded by a spy around
the real ``compute``: the territories it actually recomputed (it is called after every import and
recomputes only a stale territory).
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from data.cli.imports import register
from data.cli.main import CliError
from data.services import imports as imports_service
from tests.data.importer.conftest import FILES

Calls = list[tuple[str, str]]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """The territories the commands' refreshes recomputed, as (database URL, territory)."""
    made: Calls = []
    compute = imports_service.compute

    def spy(engine: Engine, territory_ids: list[str], **kwargs: Any) -> Any:
        summary = compute(engine, territory_ids, **kwargs)
        if summary.territories:
            made.extend((str(engine.url), territory) for territory in territory_ids)
        return summary

    monkeypatch.setattr(imports_service, "compute", spy)
    return made


def _run(engine: Engine, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="cooperascope")
    commands = parser.add_subparsers(dest="command", required=True)
    register(commands)
    args = parser.parse_args(argv)
    try:
        args.handler(args, engine)
    except CliError as exc:
        print(f"Erreur : {exc}")
        return 1
    return 0


def test_import_commands_print_the_report_and_exit_1_when_refused(
    engine: Engine, capsys: pytest.CaptureFixture[str], calls: Calls
) -> None:
    actors = str(FILES / "good" / "actors_roya.csv")
    survey = str(FILES / "good" / "survey_roya_w1.csv")

    assert _run(engine, "import", "actors", actors, "--territory", "roya") == 0
    captured = capsys.readouterr()
    assert "IMPORTÉ — 6 organisations dans la liste" in captured.out
    assert "Indicateurs de « roya » recalculés : " in captured.err

    code = _run(engine, "import", "survey", survey, "--territory", "roya", "--wave", "1")
    assert code == 0 and "IMPORTÉ — 5 répondants" in capsys.readouterr().out
    code = _run(engine, "import", "survey", survey, "--territory", "roya", "--wave", "1")
    assert code == 0 and "INCHANGÉ" in capsys.readouterr().out
    assert calls == [(str(engine.url), "roya"), (str(engine.url), "roya")]

    bad = str(FILES / "bad" / "likert_out_of_range.csv")
    code = _run(engine, "import", "survey", bad, "--territory", "roya", "--wave", "2")
    out = capsys.readouterr().out
    assert code == 1
    assert "REFUSÉ" in out and "hors de l'échelle 1 à 5" in out and "Lignes 2, 5 et 6" in out
    assert "Erreur : import refusé : « likert_out_of_range.csv » n'a pas été importé." in out

    code = _run(engine, "import", "survey", "absent.csv", "--territory", "roya", "--wave", "1")
    assert code == 1 and "Fichier introuvable : absent.csv" in capsys.readouterr().out
    assert len(calls) == 2


def test_template_command_writes_csv_and_xlsx(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actors = str(FILES / "good" / "actors_roya.csv")
    assert _run(engine, "import", "actors", actors, "--territory", "roya") == 0
    target = tmp_path / "enquete-roya.xlsx"

    assert _run(engine, "import", "template", "survey", str(target), "--territory", "roya") == 0
    assert _run(engine, "import", "template", "actors", str(tmp_path / "acteurs.csv")) == 0
    assert _run(engine, "import", "template", "survey", str(tmp_path / "x.csv")) == 1

    assert "level__scierie" in [c.value for c in load_workbook(target)["Réponses"][4]]
    assert (tmp_path / "acteurs.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "--territory" in capsys.readouterr().out


@pytest.mark.parametrize(("wave", "says"), [("1000", "invalide : 1000"), ("1e3", "« 1e3 »")])
def test_a_wave_number_beyond_999_or_not_whole_is_refused_before_anything_runs(
    engine: Engine, capsys: pytest.CaptureFixture[str], calls: Calls, wave: str, says: str
) -> None:
    survey = str(FILES / "good" / "survey_roya_w1.csv")
    with pytest.raises(SystemExit) as exit_:  # argparse's exit, status 2, before any handler
        _run(engine, "import", "survey", survey, "--territory", "roya", "--wave", wave)
    assert exit_.value.code == 2
    assert says in capsys.readouterr().err and calls == []


def test_template_command_writes_the_territory_s_xlsform(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from data.importer.xlsform import xlsform_for

    actors = str(FILES / "good" / "actors_roya.csv")
    assert _run(engine, "import", "actors", actors, "--territory", "roya") == 0
    target = tmp_path / "formulaire-roya.xlsx"

    assert _run(engine, "import", "template", "xlsform", str(target), "--territory", "roya") == 0
    assert _run(engine, "import", "template", "xlsform", str(target)) == 1

    # The page's form, cell for cell (the files' bytes differ by their creation time).
    written, page = load_workbook(target), load_workbook(io.BytesIO(xlsform_for(engine, "roya")))
    assert written.sheetnames == ["survey", "choices", "settings"]
    for name in written.sheetnames:
        rows = list(written[name].iter_rows(values_only=True))
        assert rows == list(page[name].iter_rows(values_only=True)) and len(rows) > 1
    out = capsys.readouterr()
    assert "Formulaire écrit" in out.err and "--territory" in out.out
