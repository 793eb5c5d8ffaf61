"""AppTest of every page for every role, on the demo history with indicators computed.

Access is checked twice: the navigation does not register a page a role may not see
(`switch_page` raises), and the data layer refuses what the page would not show anyway.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import Engine, delete, func, select, update
from streamlit.testing.v1 import AppTest

from dashboard.theme import stage_label
from dashboard.thread import thread_key
from data import fr
from data.access import AccessDenied, Scope
from data.config import get_config
from data.domain.journal import EventInput, JournalInput
from data.services.journal import approve_month, save_journal, unlock_month
from data.store.models import Journal, ReviewComment, SurveyWave, UserAccount
from data.store.queries import indicator_values, journal_entry, network
from tests.conftest import DEMO_END_MONTH, edit
from tests.dashboard.conftest import (
    APP,
    FUNDER,
    LEAD,
    OVERVIEW_TABLE,
    binome,
    figures,
    page_table,
    signed_in,
)

PAGES = {
    "lead": ["overview", "territory", "review", "journal", "upload", "quality", "admin"],
    "binome": ["territory", "journal", "upload", "quality"],
    # The programme setting « binômes see other territories » adds the overview, last.
    "binome_sees_others": ["territory", "journal", "upload", "quality", "overview"],
    "funder": ["overview", "territory"],
}
ALL_PAGES = sorted({p for pages in PAGES.values() for p in pages})
USERS = {
    "lead": LEAD,
    "binome": binome("roya"),
    "binome_sees_others": replace(binome("roya"), sees_other_aggregates=True),
    "funder": FUNDER,
}


def _page(name: str) -> str:
    return f"views/{name}.py"


@pytest.fixture
def sign_in_as(app: AppTest, config_copy, use_config):  # type: ignore[no-untyped-def]
    """``sign_in_as(role)``: the app signed in as that role; « binome_sees_others » is a
    binôme under a programme that lets binômes read the other territories' aggregates."""

    def sign(role: str) -> AppTest:
        if role == "binome_sees_others":
            edit(
                config_copy / "programmes" / "tec.yaml",
                "binomes_see_other_territories: false",
                "binomes_see_other_territories: true",
            )
            use_config(config_copy)
        return signed_in(app, USERS[role])

    return sign


@pytest.mark.parametrize(("role", "page"), [(r, p) for r, pages in PAGES.items() for p in pages])
def test_every_page_renders_for_its_roles(app: AppTest, sign_in_as, role: str, page: str) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(role).run()
    app.switch_page(_page(page)).run()
    assert not app.exception, app.exception
    assert app.title[0].value
    # Every table writes a missing value « – » (Streamlit's own is « None »); the journal's
    # events grid asks for what is still to type.
    placeholders = [table.proto.placeholder for table in app.dataframe]
    assert placeholders == (["à saisir"] if page == "journal" else ["–"] * len(placeholders))


@pytest.mark.parametrize(
    ("role", "page"),
    [(r, p) for r in PAGES for p in ALL_PAGES if p not in PAGES[r]],
)
def test_pages_of_other_roles_are_not_registered(  # type: ignore[no-untyped-def]
    app: AppTest, sign_in_as, role: str, page: str
) -> None:
    sign_in_as(role).run()
    with pytest.raises(Exception, match=page):
        app.switch_page(_page(page)).run()


def test_signed_out_visitor_sees_only_the_sign_in_form(app: AppTest) -> None:
    app.run()
    assert [t.value for t in app.title] == ["Coopérascope"]
    assert app.text_input(key="signin_email")
    with pytest.raises(Exception, match="overview"):
        app.switch_page(_page("overview")).run()


@pytest.mark.parametrize("role", list(PAGES))
def test_navigation_offers_each_role_its_pages_in_order(role: str) -> None:
    from dashboard.navigation import visible_pages

    assert [p.url_path for p in visible_pages(USERS[role].scope)] == PAGES[role]


def test_binome_with_the_setting_compares_every_territory(app: AppTest, sign_in_as) -> None:  # type: ignore[no-untyped-def]
    sign_in_as("binome_sees_others").run()
    app.switch_page(_page("overview")).run()
    assert not app.exception, app.exception
    table = page_table(app, OVERVIEW_TABLE)
    # The six territories of config/programme.yaml, not only the binôme's own.
    assert len(table) == 6 and "Roya" in set(table["Territoire"])  # its short name


def test_binome_sees_only_its_territory(app: AppTest) -> None:
    signed_in(app, binome("roya")).run()
    assert app.title[0].value == "Vallée de la Roya"
    # No territory picker for a binôme: its territory is fixed.
    assert not [s for s in app.sidebar.selectbox if s.label == "Territoire"]


def test_the_binome_s_page_opens_with_what_it_has_to_do_this_month(app: AppTest) -> None:
    # In the demo, Roya's November journal is a draft; its last wave (July 2026) is four
    # months old, so none is due yet.
    signed_in(app, binome("roya")).run()
    todo = next(i.value for i in app.info if i.value.startswith("**À faire ce mois-ci**"))
    assert "- Soumettre le journal de novembre 2026 (en brouillon)." in todo
    assert "baromètre" not in todo


def test_binome_reaching_for_another_territory_is_refused(demo_engine: Engine) -> None:
    roya = Scope(role="binome", territory_id="roya", user="binome.roya@tec-demo.fr")
    with pytest.raises(AccessDenied):
        network(demo_engine, roya, "forbach", 0)
    with pytest.raises(AccessDenied):
        journal_entry(demo_engine, roya, "forbach", DEMO_END_MONTH)
    entry = JournalInput(declared_stage="emergence")
    with pytest.raises(AccessDenied):
        save_journal(demo_engine, roya, "forbach", DEMO_END_MONTH, entry, submit=False)


def test_funder_trying_to_write_is_refused(demo_engine: Engine) -> None:
    funder = Scope(role="funder", user="financeur@tec-demo.fr")
    with pytest.raises(AccessDenied):
        save_journal(
            demo_engine, funder, "roya", DEMO_END_MONTH, JournalInput("emergence"), submit=False
        )
    with pytest.raises(AccessDenied):
        network(demo_engine, funder, "roya", 0)


def test_funder_overview_opens_on_the_latest_approved_month(
    app: AppTest, demo_engine: Engine
) -> None:
    signed_in(app, FUNDER).run()
    assert "données approuvées" in app.caption[0].value
    # In the demo, journals older than the previous month are approved: with the demo ending
    # in November 2026, the latest approved month is September 2026.
    with demo_engine.connect() as connection:
        latest = connection.scalar(
            select(func.max(Journal.month)).where(Journal.status == "approved")
        )
    assert pd.Timestamp(latest).date() == dt.date(2026, 9, 1)
    assert "septembre 2026" in app.caption[0].value
    table = page_table(app, OVERVIEW_TABLE)
    assert "–" not in set(table["Étape mesurée"])


@pytest.fixture
def roya_approved_for_october(demo_engine: Engine) -> Iterator[dt.date]:
    """The lead approves Roya alone for October 2026 (every territory is approved through
    September in the demo), then unlocks it again after the test."""
    october = dt.date(2026, 10, 1)
    with demo_engine.connect() as connection:
        lead_id = connection.scalar(
            select(UserAccount.id).where(UserAccount.email == "direction@tec-demo.fr")
        )
    lead = Scope(role="lead", user="direction@tec-demo.fr")
    approve_month(demo_engine, lead, lead_id, "roya", october)
    yield october
    unlock_month(demo_engine, lead, "roya", october, "retour à l'état de la démo (test)")


def test_after_a_partial_approval_the_funder_sees_every_territory_at_its_latest_approved_month(
    app: AppTest, roya_approved_for_october: dt.date
) -> None:
    """The lead approves Roya alone for October (every territory is approved through September
    in the demo). The funder lands on October and still sees all six territories: Roya at
    October, the five others at September, each month said; the heatmap has a column for
    each. Months without any approval are not offered. (Before: five lines of « – ».)"""
    signed_in(app, FUNDER)
    app.session_state["overview_tab"] = "Indicateurs du mois"
    app.run()
    picker = app.sidebar.selectbox(key="month_picker")
    assert picker.value == roya_approved_for_october
    # The options as labels: the months with an approval (October, September, …), newest first.
    assert picker.options[:2] == ["octobre 2026", "septembre 2026"]
    assert "novembre 2026" not in picker.options
    table = page_table(app, OVERVIEW_TABLE).set_index("Territoire")
    assert len(table) == 6
    assert table.loc["Roya", "Mois présenté"] == "octobre 2026"  # by short names
    others = table.drop(index="Roya")["Mois présenté"]
    assert set(others) == {"septembre 2026"}
    assert "–" not in set(table["Étape mesurée"])
    heatmap = next(f for f in figures(app) if f["data"] and f["data"][0]["type"] == "heatmap")
    assert len(heatmap["data"][0]["x"]) == 6


def test_the_funder_s_downloads_speak_french_at_each_territory_s_approved_month(
    app: AppTest, demo_engine: Engine, roya_approved_for_october: dt.date, downloads: dict
) -> None:
    """Roya approved alone for October (as above). The funder's PDF report of October shows
    Roya at October and the five others at September, their stages said — not « non
    déclarée », which the report wrote for them when it read October's stages only; its long
    export has French headers, names beside the ids and approved months only."""
    from pypdf import PdfReader

    signed_in(app, FUNDER).run()
    report = downloads["cooperascope-rapport-2026-10.pdf"]()
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(report)).pages]
    text = " ".join(pages)
    assert "non déclarée" not in text and "indéterminée" not in text
    assert "pas encore approuvé" not in text  # every territory has an approved month
    # The funder of TEC (data/demo/accounts.py): its six territories.
    names = {t.id: t.name for t in get_config().programme("tec").territories}
    for tid, name in names.items():
        page = next(p for p in pages[1:] if p.split(" Mois du parcours")[0].endswith(name))
        month = "octobre 2026" if tid == "roya" else "septembre 2026"
        assert f"Mois présenté : {month}" in page, name
        assert "Étape déclarée : " in page and "Indicateurs évalués" in page
    export = downloads["cooperascope-indicateurs-2026-10.csv"]()
    frame = pd.read_csv(io.BytesIO(export), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(frame.columns[:4]) == [
        "Identifiant territoire",
        "Territoire",
        "Mois (AAAA-MM)",
        "Mois",
    ]
    pairs = set(zip(frame["Identifiant territoire"], frame["Territoire"], strict=True))
    assert pairs == set(names.items())
    with demo_engine.connect() as connection:
        approved = {
            (t, f"{m:%Y-%m}")
            for t, m in connection.execute(
                select(Journal.territory_id, Journal.month).where(Journal.status == "approved")
            )
            if t in names
        }
    months = set(zip(frame["Identifiant territoire"], frame["Mois (AAAA-MM)"], strict=True))
    assert months == approved and ("roya", "2026-10") in months
    assert ("forbach", "2026-10") not in months


def test_funder_never_gets_an_unapproved_month(demo_engine: Engine) -> None:
    funder = Scope(role="funder")
    values = indicator_values(demo_engine, funder, months=[DEMO_END_MONTH])
    assert values.empty
    approved = indicator_values(demo_engine, funder, months=[dt.date(2026, 9, 1)])
    assert not approved.empty
    assert approved.loc[approved["low_n"], "value"].isna().all()


def test_lead_overview_heatmap_crosses_indicators_and_territories(app: AppTest) -> None:
    signed_in(app, LEAD)
    app.session_state["overview_tab"] = "Indicateurs du mois"
    app.run()
    heatmap = next(f for f in figures(app) if f["data"] and f["data"][0]["type"] == "heatmap")
    # Six territories: transposed, one column per territory, one row per catalogue indicator.
    assert len(heatmap["data"][0]["x"]) == 6
    assert len(heatmap["data"][0]["y"]) == len(get_config().load_catalogue().indicators) == 32


def test_binome_saves_a_draft_journal_from_the_page(app: AppTest, demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        before = connection.scalar(
            select(Journal.interviews_done).where(
                Journal.territory_id == "roya", Journal.month == DEMO_END_MONTH
            )
        )
    signed_in(app, binome("roya")).run()
    app.switch_page(_page("journal")).run()
    app.number_input(key="journal_interviews_done").set_value(before + 1)
    app.button(key="journal_save_draft").click().run()
    assert not app.exception
    assert [s.value for s in app.success] == ["Brouillon enregistré."]
    with demo_engine.connect() as connection:
        after = connection.execute(
            select(Journal.interviews_done, Journal.status).where(
                Journal.territory_id == "roya", Journal.month == DEMO_END_MONTH
            )
        ).one()
    assert tuple(after) == (before + 1, "draft")


def test_the_import_page_opens_for_a_territory_whose_last_wave_is_999(
    app: AppTest, demo_engine: Engine
) -> None:
    """The wave picker used to stop at 50 and crash for any territory with a wave at or above
    it. Roya's last wave is renumbered 999 (the highest a wave may have) for this test: the
    picker opens on 999, since 1,000 (the next) is beyond the bound."""
    roya_last = (
        select(func.max(SurveyWave.number))
        .where(SurveyWave.territory_id == "roya")
        .scalar_subquery()
    )
    with demo_engine.begin() as connection:
        last = connection.scalar(select(roya_last))
        connection.execute(
            update(SurveyWave)
            .where(SurveyWave.territory_id == "roya", SurveyWave.number == last)
            .values(number=999)
        )
    try:
        signed_in(app, binome("roya")).run()
        app.switch_page(_page("upload")).run()
        assert not app.exception
        picker = app.number_input(key="upload_wave_0")
        assert (picker.value, picker.max) == (999, 999)
    finally:
        with demo_engine.begin() as connection:
            connection.execute(
                update(SurveyWave)
                .where(SurveyWave.territory_id == "roya", SurveyWave.number == 999)
                .values(number=last)
            )


def _as_input(entry: dict, **changes: object) -> JournalInput:
    """A stored journal (``journal_entry``) as what the binôme would save again."""
    participants = entry["participants"]
    events = [
        EventInput(
            pd.Timestamp(event.held_on).date(),
            event.kind,
            event.title,
            dict(
                participants.loc[
                    participants["event_id"] == event.event_id, ["sector", "count"]
                ].itertuples(index=False, name=None)
            ),
        )
        for event in entry["events"].itertuples()
    ]
    fields = {
        name: entry[name]
        for name in (
            "declared_stage", "rubric", "interviews_done", "interviews_planned", "new_actors",
            "tools_reused", "narrative_strengths", "narrative_difficulties",
            "narrative_next_steps", "narrative_internal",
        )
    }  # fmt: skip
    return JournalInput(**{**fields, "events": events, **changes})  # type: ignore[arg-type]


def test_a_journal_saved_elsewhere_shows_on_the_lead_s_pages_at_the_next_run(
    app: AppTest, demo_engine: Engine
) -> None:
    """The lead's pages have read (and cached) Aura's stages; the binôme then saves November
    declaring another stage from its own session (here: straight through the service, as
    another process would, without clearing this process's cache). The lead's next run shows
    the new declared stage on the territory page and the overview, with nothing else done
    (before: the cached reads, 10 minutes, and the stored stages, until a recompute)."""
    aura = Scope(role="binome", territory_id="aura", user="binome.aura@tec-demo.fr")
    original = journal_entry(demo_engine, aura, "aura", DEMO_END_MONTH)
    assert original is not None and original["status"] == "draft"
    model = get_config().reference_model
    new_stage = next(s.id for s in model.stages if s.id != original["declared_stage"])
    signed_in(app, LEAD).run()
    app.session_state["territory"] = "aura"
    app.switch_page(_page("territory")).run()
    declared = next(m for m in app.metric if m.label == "Étape déclarée (journal)")
    assert declared.value == stage_label(model, original["declared_stage"])
    try:
        save_journal(
            demo_engine,
            aura,
            "aura",
            DEMO_END_MONTH,
            _as_input(original, declared_stage=new_stage),
            False,
        )
        # The lead's next interaction: a new run of the app in the same session (AppTest
        # reruns only the page, so a fresh one with the same session token and territory).
        following = AppTest.from_file(APP, default_timeout=30)
        following.session_state["session_token"] = app.session_state["session_token"]
        following.session_state["territory"] = "aura"
        following.run()
        following.switch_page(_page("territory")).run()
        declared = next(m for m in following.metric if m.label == "Étape déclarée (journal)")
        assert declared.value == stage_label(model, new_stage)
        following.switch_page(_page("overview")).run()
        overview = page_table(following, OVERVIEW_TABLE)
        row = overview[overview["Territoire"] == "Auvergne-Rhône-Alpes"]  # its short name
        assert row.iloc[0][f"Étape déclarée ({fr.month(DEMO_END_MONTH)})"] == stage_label(
            model, new_stage
        )
    finally:
        save_journal(demo_engine, aura, "aura", DEMO_END_MONTH, _as_input(original), False)


def test_the_status_badge_says_submitted_as_soon_as_the_journal_is_submitted(
    app: AppTest, demo_engine: Engine
) -> None:
    """Aura's November journal is a draft in the demo; its binôme submits it from the page:
    the same run of the page shows the message and the badge « ● soumis » (before: the status
    stayed « brouillon » until the next interaction)."""
    aura = Scope(role="binome", territory_id="aura", user="binome.aura@tec-demo.fr")
    original = journal_entry(demo_engine, aura, "aura", DEMO_END_MONTH)
    assert original is not None and original["status"] == "draft"
    signed_in(app, binome("aura")).run()
    app.switch_page(_page("journal")).run()
    # st.badge is Markdown: « :gray-badge[État : …] ».
    badge = lambda: [m.value for m in app.markdown if "État : " in m.value]  # noqa: E731
    assert badge() == [":gray-badge[État : ◌ brouillon]"]
    try:
        app.text_area(key="journal_strengths").set_value("Les élus sont venus.")
        app.text_area(key="journal_difficulties").set_value("Peu d'entreprises.")
        app.text_area(key="journal_next_steps").set_value("Forum en décembre.")
        app.button(key="journal_submit").click().run()
        assert not app.exception
        assert [s.value for s in app.success] == ["Journal soumis à l'équipe de pilotage."]
        assert badge() == [":blue-badge[État : ● soumis]"]
    finally:
        save_journal(demo_engine, aura, "aura", DEMO_END_MONTH, _as_input(original), False)


def test_the_lead_s_comment_reaches_the_binome_whose_unlock_request_reaches_the_lead(
    app: AppTest, demo_engine: Engine
) -> None:
    """September 2026 is approved for every territory in the demo. The lead writes to Roya's
    binôme on the review page; the binôme reads it on its journal, where the month is locked,
    and asks for the unlock; the lead's review then lists the request among the alerts."""
    september = dt.date(2026, 9, 1)
    lead_note = "Pouvez-vous préciser les entretiens de septembre ?"
    asked = "Corriger le nombre d'entretiens réalisés."
    try:
        signed_in(app, LEAD).run()
        app.session_state["month"] = september
        app.session_state["territory"] = "roya"
        app.switch_page(_page("review")).run()
        app.text_area(key=thread_key("roya", september)).set_value(lead_note)
        next(b for b in app.get("button") if b.label == "Publier le message").click().run()
        assert not app.exception

        binome_app = AppTest.from_file(APP, default_timeout=30)
        signed_in(binome_app, binome("roya"))
        binome_app.session_state["month"] = september
        binome_app.run()
        binome_app.switch_page(_page("journal")).run()
        texts = [m.value for m in binome_app.markdown]
        assert any(fr.literal(lead_note) in t for t in texts), texts
        binome_app.text_area(key="unlock_reason").set_value(asked)
        request = next(
            b for b in binome_app.get("button") if b.label == "Demander le déverrouillage"
        )
        request.click().run()
        assert not binome_app.exception

        review = AppTest.from_file(APP, default_timeout=30)
        signed_in(review, LEAD)
        review.session_state["month"] = september
        review.run()
        review.switch_page(_page("review")).run()
        alerts = next(d.value for d in review.dataframe if "Alerte" in d.value.columns)
        requested = alerts[alerts["Alerte"] == "Déverrouillage demandé"]
        assert requested["Territoire"].tolist() == ["Roya"]  # its short name
        assert requested["Détail"].tolist() == [f"Le binôme demande : « {asked} »"]
    finally:
        with demo_engine.begin() as connection:
            connection.execute(
                delete(ReviewComment).where(
                    ReviewComment.territory_id == "roya", ReviewComment.month == september
                )
            )


def test_approving_a_month_asks_for_a_confirmation_first(app: AppTest, demo_engine: Engine) -> None:
    """The approve button opens the confirmation, and nothing is approved yet. (Confirming
    runs inside Streamlit's dialog, which AppTest does not rerun: the Chromium journeys
    confirm and check the approval.)"""
    month = dt.date(2026, 10, 1)  # the demo's previous month: journals are submitted

    def status() -> str:
        with demo_engine.connect() as connection:
            return connection.scalar(
                select(Journal.status).where(Journal.territory_id == "roya", Journal.month == month)
            )

    assert status() == "submitted"
    signed_in(app, LEAD)
    app.session_state["month"] = month
    app.session_state["territory"] = "roya"
    app.run()
    app.switch_page(_page("review")).run()
    app.button(key="approve").click().run()
    assert not app.exception
    question = " ".join(m.value for m in app.markdown)
    assert "Approuver octobre 2026 pour : Vallée de la Roya ?" in question
    assert [b.label for b in app.button if b.key in ("approve_confirm", "approve_cancel")] == [
        "Approuver",
        "Annuler",
    ]
    assert status() == "submitted"


def test_overview_of_many_territories_compares_a_chosen_set(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import streamlit as st

    from data.config import get_config
    from data.demo.generator import generate_demo
    from data.demo.load import load_demo
    from data.store.engine import make_engine
    from data.store.indicator_store import compute
    from data.store.migrate import upgrade
    from data.store.sync import sync_config
    from tests.dashboard.conftest import APP

    url = f"sqlite:///{tmp_path / 'many.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sync_config(engine, get_config())
    # The 18 configured territories and 24 synthetic ones, in TEC: the TEC lead sees 6 + 24.
    frames = generate_demo(get_config(), n_territories=42, end_month=DEMO_END_MONTH)
    load_demo(engine, frames)
    # Active in November 2026: started at most 36 months before.
    starts = [t.start_date for t in get_config().programme("tec").territories] + [
        pd.Timestamp(d).date() for d in frames["territory"]["start_date"]
    ]
    active = sum(
        0 <= (DEMO_END_MONTH.year - d.year) * 12 + DEMO_END_MONTH.month - d.month <= 36
        for d in starts
    )
    assert len(starts) == 30 and 0 < active <= 24
    compute(engine, until=DEMO_END_MONTH)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COOPERASCOPE_TODAY", DEMO_END_MONTH.isoformat())
    st.cache_data.clear()
    st.cache_resource.clear()
    app = signed_in(AppTest.from_file(APP, default_timeout=60), LEAD)
    app.run()
    assert not app.exception
    assert f"{active} territoires comparés sur 30" in app.caption[0].value
    assert len(page_table(app, OVERVIEW_TABLE)) == active
    chosen = app.multiselect(key="overview_compared")
    chosen.set_value(chosen.value[:3]).run()
    assert "3 territoires comparés sur 30" in app.caption[0].value
    assert len(page_table(app, OVERVIEW_TABLE)) == 3
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_deactivated_account_is_signed_out_at_its_next_click(
    app: AppTest, demo_engine: Engine
) -> None:
    """Every interaction runs ``app.py``, which validates the session. (AppTest reruns only
    the page after its first run, so the next interaction is a new run of ``app.py`` with
    the same session; the Chromium journeys click for real.)"""
    from data.access import Scope
    from data.services.accounts import account_id, set_active

    user = binome("forbach")
    signed_in(app, user).run()
    assert app.title[0].value == "Secteur de Forbach"
    token = app.session_state["session_token"]
    target = account_id(demo_engine, user.email)
    set_active(demo_engine, Scope.system(), target, False)
    try:
        following = AppTest.from_file(APP, default_timeout=30)
        following.session_state["session_token"] = token
        following.run()
        assert [t.value for t in following.title] == ["Coopérascope"]
        assert "Votre session a pris fin" in following.error[0].value
    finally:
        set_active(demo_engine, Scope.system(), target, True)


def test_the_long_export_is_offered_in_both_formats_on_the_overview_and_the_review(
    app: AppTest, downloads: dict
) -> None:
    signed_in(app, LEAD).run()
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels[:2] == ["Indicateurs (CSV, format long)", "Indicateurs (XLSX, format long)"]
    app.switch_page(_page("review")).run()
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == [
        "Rapport du mois (PDF)",
        "Indicateurs du mois (CSV, format long)",
        "Indicateurs du mois (XLSX, format long)",
    ]
    # The review's XLSX: the month under review, every territory × indicator, French headers,
    # the values numbers in their unit's format.
    from openpyxl import load_workbook

    (name,) = [n for n in downloads if n.startswith("revue-") and n.endswith(".xlsx")]
    sheet = load_workbook(io.BytesIO(downloads[name]())).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Identifiant territoire", "Territoire", "Mois (AAAA-MM)", "Mois"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 6 * 32
    assert {row[header.index("Mois (AAAA-MM)")].value for row in rows} == {name[6:13]}
    values = [row[header.index("Valeur")] for row in rows if row[header.index("Valeur")].value]
    assert values and all(cell.data_type == "n" for cell in values)
    assert {cell.number_format for cell in values} <= {
        "#,##0",
        "#,##0.0",
        "#,##0.00",
        "#,##0.000",
        "+#,##0.000;-#,##0.000;#,##0.000",
    }


def test_a_faire_ensemble_binome_s_journal_and_page_speak_its_own_phases(app: AppTest) -> None:
    """Morlaix (config/programmes/faire-ensemble.yaml) is judged through the reference model
    but its binôme reads and writes Faire ensemble's phases and milestones (stages.yaml)."""
    signed_in(app, binome("morlaix")).run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Pays de Morlaix"
    # Its journey is the programme's two years: November 2026 is month 23 of 24.
    assert "(mois 23 sur 24)" in app.caption[0].value
    metrics = {m.label: m.value for m in app.metric}
    phases = {"1 · Impulsion", "2 · Structuration", "3 · Consolidation", "4 · Capitalisation"}
    assert metrics["Étape déclarée (journal)"] in phases
    assert metrics["Étape mesurée (indicateurs)"] in phases
    app.switch_page(_page("journal")).run()
    assert not app.exception, app.exception
    stage = app.radio(key="journal_stage")
    assert stage.options == [
        "1 · Impulsion — Groupe d'initiative constitué, lecture partagée des enjeux du "
        "territoire, problématique commune.",
        "2 · Structuration — Cartographie des acteurs et des actions, démarche d'évaluation, "
        "gouvernance, charte.",
        "3 · Consolidation — Préparation du transfert de la fonction de soutien aux acteurs "
        "locaux.",
        "4 · Capitalisation — Fonction de soutien portée localement, outils et méthodes "
        "capitalisés et transmis.",
    ]
    sliders = {s.label for s in app.select_slider}
    assert "Charte du collectif adoptée" in sliders
    assert "Portrait sensible restitué aux acteurs" not in sliders  # a TEC milestone


def test_a_message_typed_for_one_territory_is_not_offered_for_another(app: AppTest) -> None:
    """The lead types a message to Roya's binôme without publishing it, then switches the
    review to Forbach: Forbach's box is empty (it used to show Roya's text, one click from
    publishing it to the wrong territory)."""
    month = dt.date(2026, 11, 1)
    signed_in(app, LEAD).run()
    app.session_state["territory"] = "roya"
    app.switch_page(_page("review")).run()
    app.text_area(key=thread_key("roya", month)).set_value("Brouillon pour la Roya").run()
    app.selectbox(key="territory_picker").set_value("forbach").run()
    assert not app.exception, app.exception
    assert [t.key for t in app.text_area] == [thread_key("forbach", month)]
    assert app.text_area(key=thread_key("forbach", month)).value == ""
