"""The permission matrix: every role × every permission, for its own territory and another,
with and without the programme setting; then every scoped query of ``data.store.queries``
for every scope, on the demo history (SQLite and PostgreSQL).

The expected grants are written out here from the product brief (PRODUCT.md, « Who uses
it »), not read from ``data.access.POLICY``: changing a permission means changing both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from data.access import (
    SMALL_GROUP_NOTE,
    AccessDenied,
    Permission,
    Role,
    Scope,
    withhold_small_groups,
)
from data.store import queries
from data.store.models import Journal, Territory, UserAccount
from tests.conftest import DEMO_END_MONTH

P = Permission
EXPECTED: dict[str, set[Permission]] = {
    "lead": set(Permission),
    "binome": {
        P.READ_OWN_DETAIL,
        P.READ_UNAPPROVED,
        P.READ_SMALL_GROUPS,
        P.READ_NETWORK,
        P.READ_INTERNAL_NARRATIVE,
        P.READ_COMMENTS,
        P.READ_IMPORT_REPORTS,
        P.WRITE_TERRITORY,
        P.DISCUSS_MONTH,
    },
    "binome_sees_others": {
        P.READ_OWN_DETAIL,
        P.READ_OTHER_AGGREGATES,
        P.READ_UNAPPROVED,
        P.READ_SMALL_GROUPS,
        P.READ_NETWORK,
        P.READ_INTERNAL_NARRATIVE,
        P.READ_COMMENTS,
        P.READ_IMPORT_REPORTS,
        P.WRITE_TERRITORY,
        P.DISCUSS_MONTH,
    },
    "funder": {P.READ_OWN_DETAIL, P.READ_OTHER_AGGREGATES},
}
SCOPES = {
    "lead": Scope(role=Role.LEAD, user="direction@tec-demo.fr"),
    "binome": Scope(role=Role.BINOME, territory_id="roya", user="binome.roya@tec-demo.fr"),
    "binome_sees_others": Scope(
        role=Role.BINOME, territory_id="roya", user="b@x.fr", sees_other_aggregates=True
    ),
    "funder": Scope(role=Role.FUNDER, user="financeur@tec-demo.fr"),
}
OWN, OTHER = "roya", "entre-deux-mers"


@pytest.mark.parametrize("name", list(SCOPES))
@pytest.mark.parametrize("permission", list(Permission))
def test_permission_matrix(name: str, permission: Permission) -> None:
    scope = SCOPES[name]
    granted = permission in EXPECTED[name]
    assert scope.can(permission) is granted
    assert scope.can(permission, OWN) is granted
    # A binôme holds its permissions for its own territory only; the setting extends the
    # reading of aggregates, nothing else. Leads and funders are bound to no territory.
    bound = name.startswith("binome")
    other = granted and (not bound or permission == P.READ_OTHER_AGGREGATES)
    assert scope.can(permission, OTHER) is other
    if other:
        scope.require(permission, OTHER)
    else:
        with pytest.raises(AccessDenied, match="Accès refusé"):
            scope.require(permission, OTHER)


def test_a_scope_bound_to_a_territory_is_a_binomes_only() -> None:
    with pytest.raises(ValueError):
        Scope(role=Role.BINOME)
    with pytest.raises(ValueError):
        Scope(role=Role.LEAD, territory_id="roya")
    assert Scope(role="funder").role is Role.FUNDER  # a stored role string is read as a Role


def test_withhold_small_groups_blanks_values_for_a_scope_without_the_permission() -> None:
    frame = pd.DataFrame(
        {
            "value": [0.4, 0.7],
            "n": [12, 3],
            "status": ["strength", "watch"],
            "low_n": [False, True],
            "note": [None, None],
        }
    )
    funder = withhold_small_groups(frame, SCOPES["funder"])
    assert funder["value"].iloc[0] == 0.4 and pd.isna(funder["value"].iloc[1])
    # The n and the status band would tell the value as well: withheld with it.
    assert funder["n"].tolist()[0] == 12 and pd.isna(funder["n"].iloc[1])
    assert funder["status"].tolist()[0] == "strength" and pd.isna(funder["status"].iloc[1])
    assert funder["note"].tolist() == [None, SMALL_GROUP_NOTE]
    assert withhold_small_groups(frame, SCOPES["lead"]).equals(frame)


# ---------------------------------------------------------------- scoped queries on the demo
ALL = "all"  # every territory of the demo
SOME = "some"  # some territories of the demo, none outside it
DENIED = "denied"


def _territories(engine: Engine, with_data: bool = True) -> set[str]:
    """The demo's territories (those with journals: the catalyseurs' have none yet)."""
    with engine.connect() as connection:
        if not with_data:
            return set(connection.scalars(select(Territory.id)))
        return set(connection.scalars(select(Journal.territory_id).distinct()))


def _approved(engine: Engine) -> set[tuple[str, dt.date]]:
    """The approved territory-months, read straight from the journal table."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(Journal.territory_id, Journal.month).where(Journal.status == "approved")
        ).all()
    return {(t, pd.Timestamp(m).date()) for t, m in rows}


# query → scope → the territories its rows may cover (ALL, a set), or DENIED.
FRAME_QUERIES: dict[str, dict[str, object]] = {
    "territories": {"lead": ALL, "binome": {OWN}, "binome_sees_others": ALL, "funder": ALL},
    "territory_stages": {"lead": ALL, "binome": {OWN}, "binome_sees_others": ALL, "funder": ALL},
    "indicator_values": {"lead": ALL, "binome": {OWN}, "binome_sees_others": ALL, "funder": ALL},
    # A funder reads a wave once a month after it is approved: not yet the catalyseurs' first.
    "respondents_per_wave": {
        "lead": ALL,
        "binome": {OWN},
        "binome_sees_others": ALL,
        "funder": SOME,
    },
    # Journals are detail: the setting does not open other territories' journals.
    "journal_statuses": {
        "lead": ALL,
        "binome": {OWN},
        "binome_sees_others": {OWN},
        "funder": ALL,
    },
    "import_reports": {
        "lead": ALL,
        "binome": {OWN},
        "binome_sees_others": {OWN},
        "funder": DENIED,
    },
    "accounts": {"lead": ALL, "binome": DENIED, "binome_sees_others": DENIED, "funder": DENIED},
}
MONTHLY = {"territory_stages", "indicator_values", "journal_statuses"}


def _call(name: str, engine: Engine, scope: Scope) -> pd.DataFrame:
    if name == "indicator_values":
        return queries.indicator_values(engine, scope, months=[dt.date(2026, 9, 1), DEMO_END_MONTH])
    return getattr(queries, name)(engine, scope)


@pytest.mark.parametrize("scope_name", list(SCOPES))
@pytest.mark.parametrize("query", list(FRAME_QUERIES))
def test_scoped_queries(demo_engine: Engine, query: str, scope_name: str) -> None:
    scope, expected = SCOPES[scope_name], FRAME_QUERIES[query][scope_name]
    if expected == DENIED:
        with pytest.raises(AccessDenied):
            _call(query, demo_engine, scope)
        return
    frame = _call(query, demo_engine, scope)
    if query == "accounts":
        assert not frame.empty
        return
    column = "territory_id"
    everything = _territories(demo_engine, with_data=query != "territories")
    if expected == ALL and query != "import_reports":  # the demo has imported no file
        assert set(frame[column]) == everything
    elif expected == SOME:
        assert not frame.empty and set(frame[column]) < everything
    elif expected != ALL:
        assert set(frame[column]) <= expected  # type: ignore[operator]
        assert not frame.empty or query == "import_reports"
    if query in MONTHLY and not scope.can(P.READ_UNAPPROVED):
        approved = _approved(demo_engine)
        pairs = zip(frame[column], frame["month"], strict=True)
        months = {(t, pd.Timestamp(m).date()) for t, m in pairs}
        assert months and months <= approved


def test_funder_reads_no_small_group_anywhere(demo_engine: Engine) -> None:
    funder = SCOPES["funder"]
    values = queries.indicator_values(demo_engine, funder)
    assert values.loc[values["low_n"], "value"].isna().all()
    assert (values.loc[values["low_n"], "note"] == SMALL_GROUP_NOTE).all()
    waves = queries.respondents_per_wave(demo_engine, funder)
    shown = waves["respondents"].dropna()
    assert (shown >= 5).all()


@pytest.mark.parametrize(
    ("scope_name", "territory", "expected"),
    [
        ("lead", OTHER, "entry"),
        ("binome", OWN, "entry"),
        ("binome", OTHER, DENIED),
        ("binome_sees_others", OTHER, None),  # aggregates yes, a journal no
        ("funder", OTHER, "approved"),
    ],
)
def test_journal_entry(demo_engine: Engine, scope_name: str, territory: str, expected) -> None:  # type: ignore[no-untyped-def]
    scope = SCOPES[scope_name]
    month = dt.date(2026, 9, 1)
    if expected == DENIED:
        with pytest.raises(AccessDenied):
            queries.journal_entry(demo_engine, scope, territory, month)
        return
    entry = queries.journal_entry(demo_engine, scope, territory, month)
    if expected is None:
        assert entry is None
    else:
        assert entry is not None and entry["territory_id"] == territory
        if expected == "approved":
            assert (territory, month) in _approved(demo_engine)
            assert entry["status"] == "approved"


@pytest.mark.parametrize(
    ("scope_name", "territory", "allowed"),
    [
        ("lead", OTHER, True),
        ("binome", OWN, True),
        ("binome", OTHER, False),
        ("binome_sees_others", OTHER, False),
        ("funder", OWN, False),
    ],
)
def test_network(demo_engine: Engine, scope_name: str, territory: str, allowed: bool) -> None:
    scope = SCOPES[scope_name]
    if allowed:
        nodes, _ties = queries.network(demo_engine, scope, territory, 0)
        assert not nodes.empty
    else:
        with pytest.raises(AccessDenied):
            queries.network(demo_engine, scope, territory, 0)


@pytest.mark.parametrize(
    ("scope_name", "territory", "allowed"),
    [
        ("lead", OTHER, True),
        ("binome", OWN, True),
        ("binome", OTHER, False),
        ("binome_sees_others", OTHER, True),  # joint actions are aggregates of a territory
        ("funder", OTHER, True),
    ],
)
def test_joint_actions(demo_engine: Engine, scope_name: str, territory: str, allowed: bool) -> None:
    scope = SCOPES[scope_name]
    if allowed:
        assert not queries.joint_actions(demo_engine, scope, territory).empty
    else:
        with pytest.raises(AccessDenied):
            queries.joint_actions(demo_engine, scope, territory)


@pytest.mark.parametrize(
    ("scope_name", "territory", "allowed"),
    [
        ("lead", None, True),
        ("binome", OWN, True),
        ("binome", None, True),  # its own territory's comments
        ("binome", OTHER, False),
        ("binome_sees_others", OTHER, False),
        ("funder", OWN, False),
    ],
)
def test_comments(demo_engine: Engine, scope_name: str, territory, allowed: bool) -> None:  # type: ignore[no-untyped-def]
    scope = SCOPES[scope_name]
    if not allowed:
        with pytest.raises(AccessDenied):
            queries.comments(demo_engine, scope, territory, DEMO_END_MONTH)
        return
    frame = queries.comments(demo_engine, scope, territory, DEMO_END_MONTH)
    if scope.bound:
        assert set(frame["territory_id"]) <= {OWN}


def _import_reports(engine: Engine, territories: tuple[str, ...]) -> dict[str, int]:
    """One refused import report per territory (its report: ``{"subject": territory}``)."""
    from sqlalchemy import insert

    from data.store.models import ImportReport, RawUpload

    sha = "a" * 64
    ids = {}
    with engine.begin() as connection:
        connection.execute(
            insert(RawUpload).values(
                sha256=sha, filename="f.csv", size_bytes=1, content=b"x", uploaded_by="t"
            )
        )
        for territory in territories:
            ids[territory] = connection.execute(
                insert(ImportReport)
                .values(
                    sha256=sha,
                    filename="f.csv",
                    kind="survey",
                    territory_id=territory,
                    wave_number=0,
                    imported_by="t",
                    outcome="refused",
                    errors=1,
                    warnings=0,
                    rows_imported=0,
                    report={"subject": territory},
                )
                .returning(ImportReport.id)
            ).scalar_one()
    return ids


def test_import_reports_follow_the_territory(engine: Engine) -> None:
    ids = _import_reports(engine, (OWN, OTHER))
    listed = {
        name: set(queries.import_reports(engine, SCOPES[name])["territory_id"])
        for name in ("lead", "binome", "binome_sees_others")
    }
    assert listed == {
        "lead": {OWN, OTHER},
        "binome": {OWN},
        "binome_sees_others": {OWN},
    }
    binome = SCOPES["binome"]
    assert queries.import_report_detail(engine, binome, ids[OWN]) == {"subject": OWN}
    assert queries.import_report_detail(engine, binome, ids[OTHER]) is None
    with pytest.raises(AccessDenied):
        queries.import_reports(engine, SCOPES["funder"])
    with pytest.raises(AccessDenied):
        queries.import_report_detail(engine, SCOPES["funder"], ids[OWN])


def _latest_approved(engine: Engine) -> dict[str, dt.date]:
    latest: dict[str, dt.date] = {}
    for territory, month in _approved(engine):
        latest[territory] = max(month, latest.get(territory, month))
    return latest


def test_funder_gets_no_n_nor_status_of_a_small_group(demo_engine: Engine) -> None:
    values = queries.indicator_values(demo_engine, SCOPES["funder"])
    small = values[values["low_n"]]
    assert not small.empty  # the demo has small groups: the test is not vacuous
    assert small["value"].isna().all() and small["n"].isna().all()
    assert small["status"].isna().all()
    lead = queries.indicator_values(demo_engine, SCOPES["lead"])
    assert lead.loc[lead["low_n"], "n"].notna().all()


def test_funder_readiness_criteria_leave_out_small_groups(demo_engine: Engine) -> None:
    from data.store.models import IndicatorValue

    with demo_engine.connect() as connection:
        small = {
            (t, pd.Timestamp(m).date(), i)
            for t, m, i in connection.execute(
                select(
                    IndicatorValue.territory_id, IndicatorValue.month, IndicatorValue.indicator_id
                ).where(IndicatorValue.low_n)
            )
        }
    stages = queries.territory_stages(demo_engine, SCOPES["funder"])
    withheld = 0
    for row in stages.itertuples():
        missing = row.missing_criteria or {}
        for criterion in missing.get("criteria", []):
            assert (row.territory_id, row.month, criterion["indicator"]) not in small
        withheld += missing.get("withheld", 0)
    lead = queries.territory_stages(demo_engine, SCOPES["lead"])
    lead_small = sum(
        (r.territory_id, r.month, c["indicator"]) in small
        for r in lead.itertuples()
        if (r.month, r.territory_id) in {(s.month, s.territory_id) for s in stages.itertuples()}
        for c in (r.missing_criteria or {}).get("criteria", [])
    )
    # What the lead reads as small-group criteria, the funder reads as a count only.
    assert withheld == lead_small


def test_funder_reads_waves_and_actions_only_up_to_the_approved_month(
    demo_engine: Engine,
) -> None:
    funder = SCOPES["funder"]
    latest = _latest_approved(demo_engine)
    waves = queries.respondents_per_wave(demo_engine, funder)
    for row in waves.itertuples():
        assert row.reference_month.date() <= latest[row.territory_id]
    lead_waves = queries.respondents_per_wave(demo_engine, SCOPES["lead"])
    later = [
        r
        for r in lead_waves.itertuples()
        if r.reference_month.date() > latest.get(r.territory_id, dt.date.min)
    ]
    assert later and len(waves) == len(lead_waves) - len(later)
    for territory in ("roya", "entre-deux-mers"):
        end = latest[territory]
        actions = queries.joint_actions(demo_engine, funder, territory)
        cutoff = dt.date(end.year + end.month // 12, end.month % 12 + 1, 1)
        assert (actions["start_date"] < cutoff).all()
        ended = actions["end_date"].dropna()
        assert (ended < cutoff).all()


def test_funder_gets_no_headcount_of_fewer_than_five(demo_engine: Engine) -> None:
    funder = SCOPES["funder"]
    seen = 0
    for territory, month in sorted(_approved(demo_engine))[:40]:
        entry = queries.journal_entry(demo_engine, funder, territory, month)
        counts = entry["participants"]["count"].dropna()
        assert (counts >= 5).all()
        seen += len(entry["participants"])
    assert seen  # there were headcounts to withhold or show


def test_funder_readiness_line_of_a_three_person_score_is_withheld(engine: Engine) -> None:
    """A month whose « vision partagée » (3 respondents) misses the structuration threshold:
    the lead reads the criterion with its value, the funder only that one is withheld."""
    from sqlalchemy import insert

    from data.store.models import IndicatorValue, TerritoryStage

    month = dt.date(2026, 9, 1)
    criteria = [
        {
            "stage": "structuration",
            "indicator": i,
            "op": ">=",
            "threshold": t,
            "value": v,
            "met": False,
        }
        for i, t, v in (("factor_vision", 3.0, 2.9), ("coordination_density", 0.1, 0.05))
    ]
    with engine.begin() as connection:
        connection.execute(
            insert(Journal).values(
                territory_id=OWN, month=month, declared_stage="emergence", status="approved"
            )
        )
        connection.execute(
            insert(TerritoryStage).values(
                territory_id=OWN,
                month=month,
                declared_stage="emergence",
                inferred_stage="emergence",
                judged_stage="emergence",
                disagreement=False,
                missing_criteria={"next_stage": "structuration", "criteria": criteria},
            )
        )
        for indicator, value, n in (("factor_vision", 2.9, 3), ("coordination_density", 0.05, 12)):
            connection.execute(
                insert(IndicatorValue).values(
                    territory_id=OWN,
                    month=month,
                    indicator_id=indicator,
                    value=value,
                    n=n,
                    low_n=n < 5,
                    status="upcoming",
                    stage="structuration",
                    data_version=1,
                    catalogue_version="test",
                )
            )
    lead = queries.territory_stages(engine, SCOPES["lead"]).iloc[0]["missing_criteria"]
    funder = queries.territory_stages(engine, SCOPES["funder"]).iloc[0]["missing_criteria"]
    assert [c["indicator"] for c in lead["criteria"]] == ["factor_vision", "coordination_density"]
    assert [c["indicator"] for c in funder["criteria"]] == ["coordination_density"]
    assert funder["withheld"] == 1


# ------------------------------------------------------------------------- programme scope
TEC = {"roya", "entre-deux-mers", "forbach", "nantes-qpv", "aura", "haute-garonne"}
FAIRE_ENSEMBLE = {"morlaix", "mulhouse"}  # config/programmes/faire-ensemble.yaml
FE_LEAD = Scope(
    role=Role.LEAD,
    user="pilotage.fonda@tec-demo.fr",
    programmes=frozenset({"faire-ensemble"}),
    territories=frozenset(FAIRE_ENSEMBLE),
)
TWO_PROGRAMME_FUNDER = Scope(
    role=Role.FUNDER,
    user="financeur.collectif@tec-demo.fr",
    programmes=frozenset({"tec", "faire-ensemble"}),
    territories=frozenset(TEC | FAIRE_ENSEMBLE),
)


@pytest.mark.parametrize("permission", list(Permission))
def test_a_lead_of_one_programme_holds_nothing_in_another(permission: Permission) -> None:
    assert FE_LEAD.can(permission, "morlaix")
    assert not FE_LEAD.can(permission, "roya")
    with pytest.raises(AccessDenied):
        FE_LEAD.require(permission, "roya")
    # A binôme of Morlaix allowed to read the other territories reads Mulhouse's aggregates,
    # never a TEC territory's.
    binome = Scope(
        role=Role.BINOME,
        territory_id="morlaix",
        sees_other_aggregates=True,
        programmes=frozenset({"faire-ensemble"}),
        territories=frozenset(FAIRE_ENSEMBLE),
    )
    assert binome.can(P.READ_OTHER_AGGREGATES, "mulhouse")
    assert not binome.can(P.READ_OTHER_AGGREGATES, "roya")


def test_programmes_and_their_territories_go_together() -> None:
    with pytest.raises(ValueError):
        Scope(role=Role.LEAD, programmes=frozenset({"tec"}))


@pytest.mark.parametrize("query", [q for q in FRAME_QUERIES if q != "accounts"])
@pytest.mark.parametrize(
    ("scope", "expected"),
    [(FE_LEAD, FAIRE_ENSEMBLE), (TWO_PROGRAMME_FUNDER, TEC | FAIRE_ENSEMBLE)],
    ids=["lead-of-faire-ensemble", "funder-of-two"],
)
def test_programme_scoped_queries(
    demo_engine: Engine, query: str, scope: Scope, expected: set[str]
) -> None:
    if not scope.can(P.READ_IMPORT_REPORTS) and query == "import_reports":
        with pytest.raises(AccessDenied):
            _call(query, demo_engine, scope)
        return
    frame = _call(query, demo_engine, scope)
    if query == "import_reports":  # the demo imported no file
        assert frame.empty
        return
    # Every territory of its programmes, and nothing of the others.
    assert set(frame["territory_id"]) == expected


def test_accounts_of_a_lead_of_one_programme_are_those_of_its_programme(
    demo_engine: Engine,
) -> None:
    accounts = queries.accounts(demo_engine, FE_LEAD).set_index("email")
    # data/demo/accounts.py: the Faire ensemble lead, the funder of both programmes and the
    # two binômes of Faire ensemble; all but the funder (of TEC too) its to change; of the
    # funder's programmes, Faire ensemble alone is told.
    assert accounts["manageable"].to_dict() == {
        "pilotage.fonda@tec-demo.fr": True,
        "financeur.collectif@tec-demo.fr": False,
        "binome.morlaix@tec-demo.fr": True,
        "binome.mulhouse@tec-demo.fr": True,
    }
    assert accounts.loc["financeur.collectif@tec-demo.fr", "programmes"] == "faire-ensemble"
    everything = queries.accounts(demo_engine, Scope.system()).set_index("email")
    assert everything.loc["financeur.collectif@tec-demo.fr", "programmes"] == (
        "faire-ensemble, tec"  # ordered by programme id
    )
    assert everything["manageable"].all()


def test_signing_in_reads_the_accounts_programmes(demo_engine: Engine) -> None:
    from data.services.sign_in import authenticate

    funder = authenticate(demo_engine, "financeur.collectif@tec-demo.fr", "financeur-demo-2026")
    assert funder.scope.programmes == {"tec", "faire-ensemble"}
    assert funder.scope.territories == TEC | FAIRE_ENSEMBLE
    binome = authenticate(demo_engine, "binome.mulhouse@tec-demo.fr", "binome-demo-2026")
    assert binome.scope.programmes == {"faire-ensemble"}
    assert binome.scope.territories == FAIRE_ENSEMBLE
    lead = authenticate(demo_engine, "direction@tec-demo.fr", "pilotage-demo-2026")
    assert lead.scope.territories == TEC


def test_a_lead_of_one_programme_manages_only_accounts_within_its_programmes(
    engine: Engine,
) -> None:
    from data.services.accounts import (
        AccountError,
        create_account,
        set_active,
        set_password,
        unlock_account,
    )

    system = Scope.system()
    password = "mot-de-passe-2026"
    tec_lead = create_account(engine, system, "l@tec.fr", "L", "lead", None, password, ["tec"])
    tec_binome = create_account(engine, system, "b@tec.fr", "B", "binome", "roya", password)
    every_lead = create_account(engine, system, "a@x.fr", "A", "lead", None, password, (), True)
    # Funding Faire ensemble and TEC: whoever sets its password reads TEC.
    shared = create_account(
        engine, system, "f@x.fr", "F", "funder", None, password, ["tec", "faire-ensemble"]
    )
    own = create_account(engine, system, "b@fe.fr", "B", "binome", "morlaix", password)
    fe_funder = create_account(
        engine, system, "f@fe.fr", "F", "funder", None, password, ["faire-ensemble"]
    )
    for account in (tec_lead, tec_binome, every_lead, shared):
        with pytest.raises(AccountError):
            set_active(engine, FE_LEAD, account, False)
        with pytest.raises(AccountError):
            set_password(engine, FE_LEAD, account, "nouveau-mot-de-passe")
        with pytest.raises(AccountError):
            unlock_account(engine, FE_LEAD, account)
    for account in (own, fe_funder):
        set_active(engine, FE_LEAD, account, False)
        set_password(engine, FE_LEAD, account, "nouveau-mot-de-passe")
        assert unlock_account(engine, FE_LEAD, account) == 0  # no client was locked out
    # A lead of every programme manages the shared account.
    set_active(engine, system, shared, False)
    with engine.connect() as connection:
        active = dict(connection.execute(select(UserAccount.email, UserAccount.active)).all())
    assert active == {
        "l@tec.fr": True,
        "b@tec.fr": True,
        "a@x.fr": True,
        "f@x.fr": False,
        "b@fe.fr": False,
        "f@fe.fr": False,
    }


# Each query of one territory → what it shows of ``territory`` in ``month`` (True: some rows
# of it), and the permission it needs there.
Probe = Callable[[Engine, Scope, str, dt.date], bool]
TERRITORY_PROBES: dict[str, tuple[Permission, Probe]] = {
    "journal_entry": (
        P.READ_OWN_DETAIL,
        lambda e, s, t, m: queries.journal_entry(e, s, t, m) is not None,
    ),
    "joint_actions": (
        P.READ_OWN_DETAIL,
        lambda e, s, t, m: not queries.joint_actions(e, s, t).empty,
    ),
    "network": (P.READ_NETWORK, lambda e, s, t, m: not queries.network(e, s, t, 0)[0].empty),
    "network_report": (
        P.READ_NETWORK,
        lambda e, s, t, m: not queries.network_report(e, s, t).waves.empty,
    ),
    "comments": (P.READ_COMMENTS, lambda e, s, t, m: not queries.comments(e, s, t, m).empty),
    "month_history": (
        P.READ_COMMENTS,
        lambda e, s, t, m: not queries.month_history(e, s, t, m).empty,
    ),
    "indicators_updated_at": (
        P.READ_OWN_DETAIL,
        lambda e, s, t, m: queries.indicators_updated_at(e, s, [t]) is not None,
    ),
    "respondents_per_wave": (
        P.READ_OWN_DETAIL,
        lambda e, s, t, m: not queries.respondents_per_wave(e, s, t).empty,
    ),
    "declared_stages": (
        P.READ_OWN_DETAIL,
        lambda e, s, t, m: t in set(queries.declared_stages(e, s, m)["territory_id"]),
    ),
}
# The demo writes no comment and no journal audit row: those probes show nothing anywhere.
EMPTY_IN_THE_DEMO = {"comments", "month_history"}


def _shows(probe: Probe, engine: Engine, scope: Scope, territory: str, month: dt.date) -> bool:
    """Whether the probe shows something of ``territory``; False when it is refused."""
    try:
        return probe(engine, scope, territory, month)
    except AccessDenied:
        return False


@pytest.mark.parametrize("query", list(TERRITORY_PROBES))
@pytest.mark.parametrize(
    ("scope", "inside", "outside"),
    [
        (FE_LEAD, {"morlaix": set()}, ["roya", "catalyseur-01"]),
        # Morlaix's one joint action starts on 4 December 2026, after its last approved month
        # (September): a funder reads none yet.
        (TWO_PROGRAMME_FUNDER, {"roya": set(), "morlaix": {"joint_actions"}}, ["catalyseur-01"]),
    ],
    ids=["lead-of-faire-ensemble", "funder-of-two"],
)
def test_programme_scoped_territory_queries(
    demo_engine: Engine,
    query: str,
    scope: Scope,
    inside: dict[str, set[str]],
    outside: list[str],
) -> None:
    """``inside``: the territories of the scope's programmes, each with the queries that show
    nothing of it to the scope; ``outside``: territories of other programmes."""
    permission, probe = TERRITORY_PROBES[query]
    latest = _latest_approved(demo_engine)
    month = min(latest["roya"], latest["morlaix"])  # approved in both, read by a funder
    for territory in outside:
        assert not _shows(probe, demo_engine, scope, territory, month), territory
    if not any(probe(demo_engine, Scope.system(), t, month) for t in outside):
        # Nothing there to hide (no comment in the demo, no joint action in the catalyseurs'
        # territories): the query must refuse outright.
        for territory in outside:
            with pytest.raises(AccessDenied):
                probe(demo_engine, scope, territory, month)
    for territory, empty in inside.items():
        if not scope.can(permission, territory):  # a funder: no network, no comments
            with pytest.raises(AccessDenied):
                probe(demo_engine, scope, territory, month)
        else:
            shown = query not in EMPTY_IN_THE_DEMO | empty
            assert probe(demo_engine, scope, territory, month) == shown, territory


def test_every_scoped_query_is_tested_on_programme_scopes() -> None:
    import inspect

    scoped = {
        name
        for name, function in inspect.getmembers(queries, inspect.isfunction)
        if function.__module__ == queries.__name__
        and not name.startswith("_")
        and "scope" in inspect.signature(function).parameters
    }
    # accounts: test_accounts_of_a_lead_of_one_programme_are_those_of_its_programme;
    # import_report_detail: test_import_reports_of_a_lead_of_one_programme.
    tested = set(FRAME_QUERIES) | set(TERRITORY_PROBES) | {"accounts", "import_report_detail"}
    assert scoped == tested


def test_import_reports_of_a_lead_of_one_programme(engine: Engine) -> None:
    ids = _import_reports(engine, ("roya", "morlaix"))
    assert set(queries.import_reports(engine, FE_LEAD)["territory_id"]) == {"morlaix"}
    assert queries.import_report_detail(engine, FE_LEAD, ids["morlaix"]) == {"subject": "morlaix"}
    assert queries.import_report_detail(engine, FE_LEAD, ids["roya"]) is None


def test_a_lead_of_one_programme_writes_nothing_to_another(engine: Engine) -> None:
    from data.domain.journal import JournalInput
    from data.services import journal, unsaved
    from data.services.imports import import_and_refresh
    from data.store.models import AuditLog
    from tests.data.importer.conftest import FILES

    month, entry, reason = dt.date(2026, 9, 1), JournalInput("emergence"), "une raison assez longue"
    actors = (FILES / "good" / "actors_roya.csv").read_bytes()
    writes: dict[str, Callable[[], object]] = {
        "save_journal": lambda: journal.save_journal(engine, FE_LEAD, "roya", month, entry, True),
        "approve_month": lambda: journal.approve_month(engine, FE_LEAD, 1, "roya", month),
        "unlock_month": lambda: journal.unlock_month(engine, FE_LEAD, "roya", month, reason),
        "add_comment": lambda: journal.add_comment(engine, FE_LEAD, 1, "roya", month, "Bonjour"),
        "request_unlock": lambda: journal.request_unlock(engine, FE_LEAD, 1, "roya", month, reason),
        "keep_unsaved": lambda: unsaved.keep_unsaved(engine, FE_LEAD, 1, "roya", month, entry, 0),
        "unsaved_journal": lambda: unsaved.unsaved_journal(engine, FE_LEAD, 1, "roya", month),
        "discard_unsaved": lambda: unsaved.discard_unsaved(engine, FE_LEAD, 1, "roya", month),
        "import_and_refresh": lambda: import_and_refresh(
            engine, "actors", actors, "actors_roya.csv", "roya", FE_LEAD
        ),
    }
    with engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(AuditLog))
    for name, write in writes.items():
        with pytest.raises(AccessDenied):
            write()
            pytest.fail(name)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AuditLog)) == before
