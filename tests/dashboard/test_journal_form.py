"""The journal page keeps what is typed: a month's entries never show in another month, and
what is not saved yet is found again after leaving the page or in a new session (a reload, a
new tab), until it is saved or abandoned. AppTest on the demo, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from data.access import Scope
from data.services.journal import save_journal
from data.services.sign_in import user_by_email
from data.services.unsaved import discard_unsaved, unsaved_journal
from data.store.queries import journal_entry
from tests.conftest import DEMO_END_MONTH
from tests.dashboard.conftest import APP, binome, signed_in
from tests.dashboard.test_pages import _as_input, _page

AURA = Scope(role="binome", territory_id="aura", user="binome.aura@tec-demo.fr")
SEPTEMBER = dt.date(2026, 9, 1)


@pytest.fixture
def aura_account(demo_engine: Engine) -> Iterator[int]:
    """Aura's binôme account; its November journal (a draft in the demo) and its unsaved
    entries are put back as they were after the test."""
    account = user_by_email(demo_engine, AURA.user)
    assert account is not None
    original = journal_entry(demo_engine, AURA, "aura", DEMO_END_MONTH)
    assert original is not None and original["status"] == "draft"
    yield account.id
    discard_unsaved(demo_engine, AURA, account.id, "aura", DEMO_END_MONTH)
    save_journal(demo_engine, AURA, "aura", DEMO_END_MONTH, _as_input(original), submit=False)


def _journal(app: AppTest) -> AppTest:
    signed_in(app, binome("aura")).run()
    app.switch_page(_page("journal")).run()
    assert not app.exception, app.exception
    return app


def _again(app: AppTest) -> AppTest:
    """A new session of the same signed-in browser (a reload, a new tab): the session cookie
    is sent again, everything kept in the Streamlit session is gone."""
    fresh = AppTest.from_file(APP, default_timeout=30)
    fresh.session_state["session_token"] = app.session_state["session_token"]
    fresh.run()
    fresh.switch_page(_page("journal")).run()
    assert not fresh.exception, fresh.exception
    return fresh


def test_what_is_typed_for_one_month_never_shows_in_another(
    app: AppTest, demo_engine: Engine, aura_account: int
) -> None:
    september = journal_entry(demo_engine, AURA, "aura", SEPTEMBER)
    assert september is not None
    november = journal_entry(demo_engine, AURA, "aura", DEMO_END_MONTH)
    assert november is not None
    typed = november["interviews_done"] + 25
    _journal(app).number_input(key="journal_interviews_done").set_value(typed).run()
    app.sidebar.selectbox(key="month_picker").set_value(SEPTEMBER).run()
    # September shows its own journal, not November's typing (it used to keep the widgets).
    assert app.number_input(key="journal_interviews_done").value == september["interviews_done"]
    assert september["interviews_done"] != typed
    # Back in November, the typing is there again, said to be unsaved.
    app.sidebar.selectbox(key="month_picker").set_value(DEMO_END_MONTH).run()
    assert app.number_input(key="journal_interviews_done").value == typed
    assert any("non enregistrées" in info.value for info in app.info)


def test_unsaved_typing_survives_a_new_session_until_it_is_abandoned(
    app: AppTest, demo_engine: Engine, aura_account: int
) -> None:
    _journal(app).text_area(key="journal_next_steps").set_value("Forum le 12 décembre.").run()
    assert any(c.value.startswith("● Modifications non enregistrées") for c in app.caption)
    kept = unsaved_journal(demo_engine, AURA, aura_account, "aura", DEMO_END_MONTH)
    assert kept is not None and kept.entry.narrative_next_steps == "Forum le 12 décembre."

    reloaded = _again(app)
    assert reloaded.text_area(key="journal_next_steps").value == "Forum le 12 décembre."
    reloaded.button(key="unsaved_discard").click().run()
    stored = journal_entry(demo_engine, AURA, "aura", DEMO_END_MONTH)
    assert stored is not None
    assert reloaded.text_area(key="journal_next_steps").value == stored["narrative_next_steps"]
    assert unsaved_journal(demo_engine, AURA, aura_account, "aura", DEMO_END_MONTH) is None
    assert not any("non enregistrées" in info.value for info in reloaded.info)


def test_typing_the_stored_value_back_forgets_the_unsaved_entry(
    app: AppTest, demo_engine: Engine, aura_account: int
) -> None:
    box = _journal(app).number_input(key="journal_new_actors")
    stored = box.value
    box.set_value(stored + 1).run()
    assert unsaved_journal(demo_engine, AURA, aura_account, "aura", DEMO_END_MONTH) is not None
    app.number_input(key="journal_new_actors").set_value(stored).run()
    assert unsaved_journal(demo_engine, AURA, aura_account, "aura", DEMO_END_MONTH) is None


def test_saving_the_draft_forgets_the_unsaved_entry_and_the_form_shows_what_is_stored(
    app: AppTest, demo_engine: Engine, aura_account: int
) -> None:
    _journal(app).text_area(key="journal_strengths").set_value("  Les élus sont venus.  ").run()
    app.button(key="journal_save_draft").click().run()
    assert [s.value for s in app.success] == ["Brouillon enregistré."]
    assert unsaved_journal(demo_engine, AURA, aura_account, "aura", DEMO_END_MONTH) is None
    # Stored stripped: the form shows the stored text, and nothing is left unsaved.
    assert app.text_area(key="journal_strengths").value == "Les élus sont venus."
    assert not any("non enregistrées" in c.value for c in app.caption)


def test_a_version_saved_by_someone_else_meanwhile_is_not_overwritten_silently(
    app: AppTest, demo_engine: Engine, aura_account: int
) -> None:
    _journal(app).text_area(key="journal_difficulties").set_value("Mes difficultés.").run()
    # The other member of the binôme saves the journal from elsewhere.
    stored = journal_entry(demo_engine, AURA, "aura", DEMO_END_MONTH)
    assert stored is not None
    theirs = _as_input(stored, narrative_next_steps="Leur version.")
    save_journal(demo_engine, AURA, "aura", DEMO_END_MONTH, theirs, submit=False)

    reloaded = _again(app)
    assert any("une autre personne" in w.value for w in reloaded.warning)
    assert reloaded.text_area(key="journal_difficulties").value == "Mes difficultés."
    reloaded.button(key="unsaved_keep").click().run()
    assert not reloaded.warning
    reloaded.button(key="journal_save_draft").click().run()
    assert [s.value for s in reloaded.success] == ["Brouillon enregistré."]
    saved = journal_entry(demo_engine, AURA, "aura", DEMO_END_MONTH)
    assert saved is not None
    # Mine replaced theirs, as chosen: my difficulties, and the next steps I had read.
    assert saved["narrative_difficulties"] == "Mes difficultés."
    assert saved["narrative_next_steps"] == stored["narrative_next_steps"]
