"""The monthly loop over two months, as the three roles live it, in real headless Chromium
(#12): each role in its own browser, on a demo database of its own.

November 2026 (the demo's current month):
1. a lead has the overview open; Roya's binôme follows a bookmark to its journal, signs in
   and lands on it, declares « 3 · Consolidation » (its draft said « 4 · Coalition ») and
   submits;
2. the lead reloads the overview: still signed in on the same page, and the new stage is
   there, as on the territory page and the review desk, with nothing else done;
3. the lead comments Roya's month; the binôme reads the comment on its journal;
4. the binôme imports a survey wave; the same file again is refused, not a second wave;
5. the lead approves Roya alone; the funder sees all six territories, Roya at November and
   the others at their latest approved month (September), and is offered approved months
   only.

December 2026 (the server started again with the new date): the binôme's sign-in holds; its
territory page says what to do this month; a draft with an event row not complete yet (a
count, no title nor date) is saved, says what submitting will need, and is found again, row
included, after a reload.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from data.store.engine import make_engine
from data.store.models import Actor, EventParticipants, Journal, JournalEvent, SurveyWave
from tests.e2e.conftest import (
    choose,
    heading,
    load_demo_database,
    running_server,
    screenshot,
    wait_ready,
)
from tests.e2e.test_journeys import fill_sign_in, open_page

TIMEOUT = 30_000
NOVEMBER = dt.date(2026, 11, 1)
DECEMBER = dt.date(2026, 12, 1)
NEW_STAGE = "3 · Consolidation"


@pytest.fixture
def database(tmp_path: Path) -> str:
    return load_demo_database(f"sqlite:///{tmp_path / 'loop.db'}")


@pytest.fixture
def contexts(browser: Browser) -> Iterator[dict[str, BrowserContext]]:
    """One browser per role, as three people on three machines."""
    opened = {
        role: browser.new_context(viewport={"width": 1400, "height": 1800}, locale="fr-FR")
        for role in ("lead", "binome", "funder")
    }
    yield opened
    for context in opened.values():
        context.close()


def _hover_texts(page: Page) -> list[str]:
    """The hover texts of every plotly chart on the page, once one is drawn."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => (p.data || []).length)",
        timeout=TIMEOUT,
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(
            plot => (plot.data || []).flatMap(trace => [].concat(trace.hovertext || [])))"""
    )


def _journal_row(database: str, territory_id: str, month: dt.date) -> tuple[str, str]:
    engine = make_engine(database)
    with engine.connect() as connection:
        row = connection.execute(
            select(Journal.status, Journal.declared_stage).where(
                Journal.territory_id == territory_id, Journal.month == month
            )
        ).one()
    engine.dispose()
    return row.status, row.declared_stage


def test_two_months_of_the_monthly_loop(
    contexts: dict[str, BrowserContext], database: str, tmp_path: Path
) -> None:
    lead, binome, funder = (contexts[r].new_page() for r in ("lead", "binome", "funder"))
    assert _journal_row(database, "roya", NOVEMBER) == ("draft", "coalition")
    with running_server(database) as november:
        # 1. The lead's overview is open (its reads cached); the binôme's bookmark survives
        # its sign-in.
        lead.goto(november)
        fill_sign_in(lead, "lead")
        heading(lead, "Vue d'ensemble")
        before = _hover_texts(lead)
        assert any(t.startswith("<b>Vallée de la Roya</b><br>étape déclarée : ") for t in before)
        assert not any(
            t.startswith(f"<b>Vallée de la Roya</b><br>étape déclarée : {NEW_STAGE}<br>")
            and t.endswith("novembre 2026")
            for t in before
        )
        binome.goto(november + "/journal?mois=2026-11")
        fill_sign_in(binome, "binome")
        binome.wait_for_url(re.compile(r"/journal\?mois=2026-11"), timeout=TIMEOUT)
        heading(binome, "Journal de bord")
        binome.get_by_text(re.compile(rf"^{NEW_STAGE} — ")).click()
        wait_ready(binome)
        for label, text in (
            ("Forces", "Les élus de Tende s'impliquent."),
            ("Difficultés", "Peu d'entreprises présentes."),
            ("Prochaines étapes", "Forum des acteurs en décembre."),
        ):
            binome.get_by_label(label).fill(text)
            binome.get_by_label(label).blur()
            wait_ready(binome)
        binome.get_by_role("button", name="Soumettre le journal").click()
        expect(binome.get_by_text("Journal soumis à l'équipe de pilotage.")).to_be_visible(
            timeout=TIMEOUT
        )
        expect(binome.get_by_text("État : ● soumis")).to_be_visible()
        assert _journal_row(database, "roya", NOVEMBER) == ("submitted", "consolidation")

        # 2. The lead reloads: same page, still signed in, the new stage drawn.
        lead.reload()
        heading(lead, "Vue d'ensemble")
        assert any(
            t.startswith(f"<b>Vallée de la Roya</b><br>étape déclarée : {NEW_STAGE}<br>")
            and t.endswith("novembre 2026")
            for t in _hover_texts(lead)
        ), _hover_texts(lead)
        lead.goto(november + "/territory?territoire=roya&mois=2026-11")
        heading(lead, "Vallée de la Roya")
        declared = lead.get_by_test_id("stMetric").filter(has_text="Étape déclarée (journal)")
        expect(declared).to_contain_text(NEW_STAGE)
        lead.goto(november + "/review?territoire=roya&mois=2026-11")
        heading(lead, "Revue mensuelle")
        screenshot(lead, "loop-lead-review-submitted")

        # 3. The lead's comment reaches the binôme.
        comment = "Merci : pouvez-vous détailler le forum de décembre ?"
        lead.get_by_label("Nouveau message").fill(comment)
        lead.get_by_role("button", name="Publier le message").click()
        wait_ready(lead)
        expect(lead.get_by_text(comment)).to_be_visible(timeout=TIMEOUT)
        binome.reload()
        heading(binome, "Journal de bord")
        expect(binome.get_by_text(comment)).to_be_visible(timeout=TIMEOUT)

        # 4. A survey wave, then the same file again: refused, no second wave.
        _import_twice(binome, database, tmp_path)

        # 5. The lead approves Roya alone; the funder sees every territory.
        lead.reload()
        heading(lead, "Revue mensuelle")
        lead.get_by_role("button", name="Approuver ce mois (le verrouille)").click()
        dialog = lead.get_by_role("dialog")
        dialog.get_by_role("button", name="Approuver", exact=True).click()
        wait_ready(lead)
        expect(lead.get_by_text("1 mois approuvé et verrouillé.")).to_be_visible(timeout=TIMEOUT)
        assert _journal_row(database, "roya", NOVEMBER)[0] == "approved"
        funder.goto(november)
        fill_sign_in(funder, "funder")
        heading(funder, "Vue d'ensemble")
        caption = funder.get_by_test_id("stMain").get_by_text("données approuvées")
        expect(caption).to_contain_text("novembre 2026")
        funder.get_by_test_id("stSidebar").get_by_role("combobox", name="Mois").click()
        offered = funder.get_by_role("option").all_inner_texts()
        funder.keyboard.press("Escape")
        # Approved: Roya's November, and every territory up to September (the demo approves
        # the months before the previous one); October is approved nowhere.
        assert offered[:2] == ["novembre 2026", "septembre 2026"], offered
        assert "octobre 2026" not in offered
        screenshot(funder, "loop-funder-overview")
        funder.goto(november + "/territory?territoire=roya")
        heading(funder, "Vallée de la Roya")
        expect(funder.get_by_test_id("stMain").get_by_text("(mois ")).to_contain_text(
            "novembre 2026"
        )
        funder.goto(november + "/territory?territoire=forbach")
        heading(funder, "Secteur de Forbach")
        expect(funder.get_by_test_id("stMain").get_by_text("(mois ")).to_contain_text(
            "septembre 2026 (dernier mois approuvé jusqu'à novembre 2026)"
        )

    # December: the server starts again on the new date; the binôme's session holds.
    with running_server(database, today=dt.date(2026, 12, 3)) as december:
        binome.goto(december + "/territory")
        heading(binome, "Vallée de la Roya")
        todo = binome.get_by_text("À faire ce mois-ci")
        expect(todo).to_be_visible(timeout=TIMEOUT)
        expect(binome.get_by_test_id("stMain")).to_contain_text(
            "Rédiger le journal de décembre 2026 (pas encore commencé)."
        )
        _draft_kept_through_reloads(binome, database)


def _import_twice(page: Page, database: str, tmp_path: Path) -> None:
    from data.importer.formats import ActorRef
    from data.importer.samples import sample_answers, template_csv

    engine = make_engine(database)
    with engine.connect() as connection:
        rows = connection.execute(
            select(Actor.org_id, Actor.name, Actor.sector).where(Actor.territory_id == "roya")
        ).all()
    actors = [ActorRef(*row) for row in rows]
    answers = sample_answers(actors, respondents=15, start=dt.date(2026, 11, 2), days=10)
    survey = tmp_path / "barometre-roya-novembre.csv"
    survey.write_bytes(template_csv(answers, actors))

    def waves() -> int:
        with engine.connect() as connection:
            return connection.scalar(
                select(func.count())
                .select_from(SurveyWave)
                .where(SurveyWave.territory_id == "roya")
            )

    before = waves()
    open_page(page, "Import")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(survey))
    expect(page.get_by_text("Rapport de qualité")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text(re.compile(r"^IMPORTÉ — "))).to_be_visible(timeout=60_000)
    assert waves() == before + 1
    # The page has cleared itself (a new, empty uploader) and offers the next wave; the same
    # file again:
    uploader = page.get_by_test_id("stFileUploader")
    expect(uploader).to_have_count(1, timeout=TIMEOUT)
    expect(uploader).not_to_contain_text(survey.name[:7])
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(survey))
    expect(page.get_by_text(re.compile(r"a déjà été importé comme vague"))).to_be_visible(
        timeout=TIMEOUT
    )
    expect(page.get_by_role("button", name="Confirmer l'import")).to_have_count(0)
    assert waves() == before + 1
    engine.dispose()


def _draft_kept_through_reloads(page: Page, database: str) -> None:
    """December's journal starts from November's; what is typed survives a reload before it
    is saved, and the saved draft is found again after another."""
    open_page(page, "Journal de bord")
    choose(page, "Mois", "décembre 2026")
    expect(page.get_by_text("État : nouveau, pas encore enregistré")).to_be_visible()
    typed = "Préparer la restitution du baromètre en janvier."
    page.get_by_label("Prochaines étapes").fill(typed)
    page.get_by_label("Prochaines étapes").blur()
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^● Modifications non enregistrées"))).to_be_visible()
    page.reload()
    heading(page, "Journal de bord")
    expect(page.get_by_label("Prochaines étapes")).to_have_value(typed, timeout=TIMEOUT)
    expect(page.get_by_text(re.compile(r"^Vos modifications non enregistrées du"))).to_be_visible()
    # An event row begun, not complete: 4 associations counted, no title nor date yet.
    _add_event_row(page, associations=4)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible(timeout=TIMEOUT)
    main = page.get_by_test_id("stMain")
    # Saved all the same; what submitting needs is said, row by row.
    expect(main).to_contain_text("rencontre 1 (sans titre) : titre manquant")
    expect(main).to_contain_text("rencontre 1 (sans titre) : date manquante")
    assert _journal_row(database, "roya", DECEMBER) == ("draft", "consolidation")
    assert _events(database, "roya", DECEMBER) == [(None, "", {"association": 4})]
    page.reload()
    heading(page, "Journal de bord")
    expect(page.get_by_text("État : ◌ brouillon")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_label("Prochaines étapes")).to_have_value(typed)
    # The row is found again in the grid (its cells as the grid gives them to screen readers:
    # title, date, type, then the sectors).
    grid = page.locator(".st-key-journal_events")
    expect(grid.get_by_test_id("glide-cell-1-0")).to_have_text("")
    expect(grid.get_by_test_id("glide-cell-2-0")).to_have_text("")
    expect(grid.get_by_test_id("glide-cell-4-0")).to_have_text("4")
    expect(grid.get_by_test_id("glide-cell-5-0")).to_have_text("0")
    screenshot(page, "loop-binome-december-draft")


def _add_event_row(page: Page, associations: int) -> None:
    """« Ajouter une ligne » in the events grid, then the associations' count typed in the new
    row (the grid is a canvas: a click on the row's first cell, the keyboard from there)."""
    grid = page.locator(".st-key-journal_events")
    grid.hover()
    grid.get_by_role("button", name="Ajouter une ligne").click()
    expect(grid.get_by_test_id("glide-cell-4-0")).to_have_text("0")
    wait_ready(page)  # the new row is sent to the server: the page runs again
    page.wait_for_timeout(500)
    box = grid.locator("canvas").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)  # below the header: the title cell
    page.wait_for_timeout(300)
    for _ in range(3):  # title → date → type → Association
        page.keyboard.press("ArrowRight")
    page.keyboard.type(str(associations))
    page.wait_for_timeout(300)  # the cell's editor opens with what was typed
    page.keyboard.press("Enter")
    expect(grid.get_by_test_id("glide-cell-4-0")).to_have_text(str(associations))
    wait_ready(page)


def _events(
    database: str, territory_id: str, month: dt.date
) -> list[tuple[dt.date | None, str, dict[str, int]]]:
    """The journal's stored events: date, title and the sectors counted (zeros left out)."""
    engine = make_engine(database)
    with engine.connect() as connection:
        events = connection.execute(
            select(JournalEvent.id, JournalEvent.held_on, JournalEvent.title)
            .join(Journal, Journal.id == JournalEvent.journal_id)
            .where(Journal.territory_id == territory_id, Journal.month == month)
            .order_by(JournalEvent.id)
        ).all()
        counts = connection.execute(
            select(EventParticipants.event_id, EventParticipants.sector, EventParticipants.count)
            .where(EventParticipants.event_id.in_([e.id for e in events]))
            .where(EventParticipants.count > 0)
        ).all()
    engine.dispose()
    return [
        (e.held_on, e.title, {c.sector: c.count for c in counts if c.event_id == e.id})
        for e in events
    ]
