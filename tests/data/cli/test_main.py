"""The `cooperascope` command line on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data.cli.main import main
from data.services.passwords import verify_password
from data.store.engine import make_engine
from data.store.migrate import head_revision
from data.store.models import AccountProgramme, AuditLog, Territory, UserAccount


def _run(capsys: pytest.CaptureFixture[str], db_url: str, *args: str) -> tuple[int, str]:
    code = main(["--database-url", db_url, *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_db_upgrade_creates_the_configured_programme_and_is_idempotent(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(capsys, db_url, "db", "upgrade")
    assert code == 0
    head = head_revision(make_engine(db_url))
    assert f"migrée : vide → {head}" in out
    # 2 stage models (default, faire-ensemble) + 4 + 4 stages + 3 programmes + 6 + 2 + 10
    # territories (config/programmes/) = 31 rows written.
    assert "« TEC » (6 territoires), « Faire ensemble » (2 territoires)" in out
    assert "« Catalyseurs » (10 territoires) (31 ligne(s) écrite(s))" in out
    code, out = _run(capsys, db_url, "db", "upgrade")
    assert "déjà à jour" in out and "(0 ligne(s) écrite(s))" in out
    engine = make_engine(db_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Territory)) == 18
        assert connection.scalar(select(func.count()).select_from(AuditLog)) == 31
    engine.dispose()


def test_commands_refuse_an_unmigrated_database(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(capsys, db_url, "status")
    assert code == 1
    assert "Lancez d'abord : cooperascope db upgrade" in out


def test_users_add_hashes_the_password_and_refuses_bad_input(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    _run(capsys, db_url, "db", "upgrade")
    add = ("users", "add", "--name", "Anne", "--password-stdin")
    monkeypatch.setattr("sys.stdin", io.StringIO("un-mot-de-passe-long\n"))
    code, out = _run(
        capsys, db_url, *add, "--email", "Anne@Roya.fr", "--role", "binome", "--territory", "roya"
    )
    assert (code, out.strip()) == (0, "Compte créé : anne@roya.fr (binome).")

    monkeypatch.setattr("sys.stdin", io.StringIO("un-mot-de-passe-long\n"))
    code, out = _run(
        capsys, db_url, *add, "--email", "anne@roya.fr", "--role", "binome", "--territory", "roya"
    )
    assert code == 1 and "existe déjà" in out

    code, out = _run(capsys, db_url, *add, "--email", "x@y.fr", "--role", "binome")
    assert code == 1 and "--territory" in out

    code, out = _run(
        capsys, db_url, *add, "--email", "x@y.fr", "--role", "binome", "--territory", "mars"
    )
    assert code == 1 and "Territoire inconnu « mars »" in out

    code, out = _run(capsys, db_url, *add, "--email", "x@y.fr", "--role", "funder")
    assert code == 1 and "Donnez au moins un programme. (option --programme ID" in out

    code, out = _run(
        capsys, db_url, *add, "--email", "x@y.fr", "--role", "funder", "--programme", "mars"
    )
    assert code == 1 and "Programme inconnu : « mars »" in out

    code, out = _run(
        capsys, db_url, *add, "--email", "x@y.fr", "--role", "funder", "--all-programmes"
    )
    assert code == 1 and "Seul un compte de pilotage peut suivre tous les programmes" in out

    monkeypatch.setattr("sys.stdin", io.StringIO("un-mot-de-passe-long\n"))
    code, out = _run(
        capsys,
        db_url,
        *add,
        "--email",
        "f@y.fr",
        "--role",
        "funder",
        "--programme",
        "tec",
        "--programme",
        "faire-ensemble",
    )
    assert (code, out.strip()) == (0, "Compte créé : f@y.fr (funder).")

    monkeypatch.setattr("sys.stdin", io.StringIO("court\n"))
    code, out = _run(
        capsys, db_url, *add, "--email", "x@y.fr", "--role", "lead", "--all-programmes"
    )
    assert code == 1 and "au moins 10 caractères" in out

    engine = make_engine(db_url)
    with engine.connect() as connection:
        users = connection.execute(
            select(UserAccount.email, UserAccount.password_hash).order_by(UserAccount.id)
        ).all()
        funds = connection.execute(
            select(AccountProgramme.programme_id).order_by(AccountProgramme.programme_id)
        ).all()
    engine.dispose()
    assert [u.email for u in users] == ["anne@roya.fr", "f@y.fr"]
    assert [f.programme_id for f in funds] == ["faire-ensemble", "tec"]
    assert users[0].password_hash.startswith("$argon2id$")
    assert verify_password(users[0].password_hash, "un-mot-de-passe-long")
    assert not verify_password(users[0].password_hash, "autre-mot-de-passe")


def test_indicators_compute_says_how_many_values_it_wrote(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import func as sql_func

    from data.store.models import IndicatorValue

    assert _run(capsys, db_url, "db", "upgrade")[0] == 0
    assert (
        _run(capsys, db_url, "demo", "load", "--territories", "2", "--end-month", "2026-11")[0] == 0
    )
    code, out = _run(capsys, db_url, "indicators", "compute")
    engine = make_engine(db_url)
    with engine.connect() as connection:
        stored = connection.scalar(select(sql_func.count()).select_from(IndicatorValue))
    engine.dispose()
    assert code == 0
    # French thousands are separated by a narrow no-break space.
    assert f"{stored:,}".replace(",", "\u202f") + " valeurs écrites" in out
    # A forced recompute of the same data writes nothing and says so.
    code, out = _run(capsys, db_url, "indicators", "compute", "--force")
    assert code == 0
    assert "dont 0 écrites (les autres n'avaient pas changé)" in out
