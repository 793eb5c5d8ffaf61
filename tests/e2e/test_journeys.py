"""Journeys in real headless Chromium against a running Streamlit server: each role signs in
and visits its pages (a screenshot of each is kept under var/screenshots/), a binôme submits a
journal and uploads a survey file, a lead approves a month and downloads the PDF report."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from data.demo.accounts import DEMO_PASSWORDS
from data.store.engine import make_engine
from data.store.models import Actor, Journal, Respondent, SurveyWave
from tests.e2e.conftest import screenshot, wait_ready

ROLE_PAGES = {
    "lead": [
        "Vue d'ensemble",
        "Territoire",
        "Revue mensuelle",
        "Journal de bord",
        "Import",
        "Qualité des données",
        "Administration",
    ],
    "binome": ["Mon territoire", "Journal de bord", "Import", "Qualité des données"],
    "funder": ["Vue d'ensemble", "Territoire"],
}
EMAILS = {
    "lead": "direction@tec-demo.fr",
    "binome": "binome.roya@tec-demo.fr",
    "funder": "financeur@tec-demo.fr",
}


def _submit(page: Page, email: str, password: str) -> None:
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()


def _submit_sign_in(page: Page, server: str, email: str, password: str) -> None:
    page.goto(server)
    wait_ready(page)
    _submit(page, email, password)


def _signed_in(page: Page, email: str, password: str) -> None:
    """Submit the form and wait until the browser holds the session's cookie (the answer to
    /auth/session, posted after the first signed-in run): an address typed or a reload
    right after the sign-in then keeps the session."""
    with page.expect_response(lambda response: "/auth/session" in response.url, timeout=60_000):
        _submit(page, email, password)
    wait_ready(page)


def sign_in(page: Page, server: str, email: str, password: str) -> None:
    page.goto(server)
    wait_ready(page)
    _signed_in(page, email, password)


def fill_sign_in(page: Page, role: str) -> None:
    """Sign in as ``role``'s demo account with the form the page shows, the session's cookie
    held."""
    expect(page.get_by_label("Adresse e-mail")).to_be_visible(timeout=30_000)
    _signed_in(page, EMAILS[role], DEMO_PASSWORDS[role])


def open_page(page: Page, title: str) -> None:
    """Click a navigation link and wait until the new page has run and drawn its own title
    (Streamlit navigates without a page load, and keeps the old title until it is replaced)."""
    link = page.get_by_test_id("stSidebarNav").get_by_role("link").filter(has_text=title).first
    heading = page.get_by_test_id("stMain").locator("h1").first
    before = heading.inner_text() if heading.count() else ""
    already_there = link.get_attribute("aria-current") == "page"
    link.click()
    if not already_there:
        page.wait_for_function(
            """previous => {
                const h = document.querySelector("[data-testid='stMain'] h1");
                return h !== null && h.innerText !== previous;
            }""",
            arg=before,
            timeout=30_000,
        )
    wait_ready(page)


def test_wrong_password_is_refused_in_french(page: Page, server: str) -> None:
    _submit_sign_in(page, server, "direction@tec-demo.fr", "pas-le-bon")
    wait_ready(page)
    expect(page.get_by_text("Adresse e-mail ou mot de passe incorrect.")).to_be_visible()


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_each_role_visits_its_pages(page: Page, server: str, role: str) -> None:
    sign_in(page, server, EMAILS[role], DEMO_PASSWORDS[role])
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible()
    # Each link reads "<icon ligature>\n\n<title>": keep the title.
    links = [t.strip().splitlines()[-1] for t in nav.get_by_role("link").all_inner_texts()]
    assert links == ROLE_PAGES[role]
    for title in ROLE_PAGES[role]:
        open_page(page, title)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        slug = title.lower().replace(" ", "-").replace("'", "")
        screenshot(page, f"{role}-{slug}")


def test_lead_overview_draws_every_chart(page: Page, server: str) -> None:
    sign_in(page, server, EMAILS["lead"], DEMO_PASSWORDS["lead"])
    expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible()
    # One tab per chart, each drawn when its tab is opened (the first one open).
    charts = {
        "Étapes au fil du temps": "Étape déclarée et étape mesurée de chaque territoire",
        "Indicateurs du mois": "Indicateurs de chaque territoire, jugés selon l'étape",
        "Indicateurs clés dans le temps": "Évolution d'indicateurs clés, par territoire",
        "Participation au baromètre": "Répondants au baromètre des coopérations",
    }
    for tab, title in charts.items():
        page.get_by_role("tab", name=tab).click()
        wait_ready(page)
        drawn = page.locator(".js-plotly-plot .main-svg .gtitle", has_text=title)
        expect(drawn).to_be_visible()
    # Plotly's mode bar speaks French, trimmed to PNG, zoom, pan and reset.
    titles = set(
        page.eval_on_selector_all(
            ".js-plotly-plot .modebar-btn", "buttons => buttons.map(b => b.dataset.title)"
        )
    )
    assert "Télécharger le graphique (PNG)" in titles
    assert titles <= {
        "Télécharger le graphique (PNG)",
        "Zoomer",
        "Déplacer",
        "Réinitialiser les axes",
        "Réinitialiser la vue",
        "Fullscreen",  # Streamlit's own button: its tooltip is rewritten by a style sheet
    }, titles
    tooltip = page.eval_on_selector(
        ".modebar-btn[data-title='Fullscreen']",
        "b => getComputedStyle(b, '::after').content",
    )
    assert tooltip == '"Plein écran"'


def test_binome_submits_a_journal(page: Page, server: str, e2e_database: str) -> None:
    sign_in(page, server, EMAILS["binome"], DEMO_PASSWORDS["binome"])
    open_page(page, "Journal de bord")
    page.get_by_label("Prochaines étapes").fill("Organiser le forum des acteurs en décembre.")
    page.get_by_label("Forces").fill("Les élus de Tende s'impliquent.")
    page.get_by_label("Difficultés").fill("Peu d'entreprises présentes.")
    # The events grid's toolbar speaks French, its tooltips and its buttons' names.
    page.get_by_test_id("stDataFrame").hover()
    buttons = page.get_by_test_id("stElementToolbarButton").locator("button")
    names = buttons.evaluate_all("buttons => buttons.map(b => b.getAttribute('aria-label'))")
    assert names == [
        "Ajouter une ligne",
        "Afficher ou masquer des colonnes",
        "Télécharger en CSV",
        "Rechercher",
        "Plein écran",
    ]
    page.wait_for_timeout(500)  # the toolbar slides in
    box = buttons.first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.move(box["x"] + 8, box["y"] + 8)  # the tooltip shows after a second's hover
    expect(page.get_by_test_id("stTooltipContent")).to_have_text("Ajouter une ligne")
    page.get_by_role("button", name="Soumettre le journal").click()
    wait_ready(page)
    expect(page.get_by_text("Journal soumis à l'équipe de pilotage.")).to_be_visible()
    screenshot(page, "binome-journal-submitted")
    engine = make_engine(e2e_database)
    with engine.connect() as connection:
        status = connection.scalar(
            select(Journal.status).where(
                Journal.territory_id == "roya", Journal.month == dt.date(2026, 11, 1)
            )
        )
    engine.dispose()
    assert status == "submitted"


def test_binome_uploads_a_survey_file(
    page: Page, server: str, tmp_path: Path, e2e_database: str
) -> None:
    from data.importer.formats import ActorRef
    from data.importer.samples import sample_answers, template_csv

    engine = make_engine(e2e_database)
    with engine.connect() as connection:
        rows = connection.execute(
            select(Actor.org_id, Actor.name, Actor.sector).where(Actor.territory_id == "roya")
        ).all()
        waves_before = connection.scalar(
            select(func.count()).select_from(SurveyWave).where(SurveyWave.territory_id == "roya")
        )
    actors = [ActorRef(*row) for row in rows]
    # A new wave of 15 answers in November 2026, in the Coopérascope template.
    answers = sample_answers(actors, respondents=15, start=dt.date(2026, 11, 2), days=10)
    survey = tmp_path / "barometre-roya-novembre.csv"
    survey.write_bytes(template_csv(answers, actors))

    sign_in(page, server, EMAILS["binome"], DEMO_PASSWORDS["binome"])
    open_page(page, "Import")
    with page.expect_download() as download:
        page.get_by_role("button", name="Enquête (CSV)").click()
    template = tmp_path / "modele.csv"
    download.value.save_as(template)
    assert template.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for French Excel
    # The uploader's own words are French, its limit the product's (25 Mo, config/quality.yaml).
    shown = page.get_by_test_id("stFileUploaderDropzone").evaluate(
        """zone => [zone.querySelector("button p"), zone.querySelector(
            "[data-testid='stFileUploaderDropzoneInstructions'] span")].map(e => [
            getComputedStyle(e).fontSize, getComputedStyle(e, "::after").content])"""
    )
    assert shown == [
        ["0px", '"Parcourir"'],
        [
            "0px",
            '"Déposez le fichier ici ou cliquez sur « Parcourir » — 25 Mo au plus · CSV, XLSX, '
            'XLS, ODS, TXT"',
        ],
    ]
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(survey))
    wait_ready(page)
    expect(page.get_by_text("Rapport de qualité")).to_be_visible(timeout=30_000)
    # The file's size the French way: Streamlit writes « 25.2KB » for 25,168 bytes (KB:
    # 1,000 bytes), French « 25,2 Ko ».
    kilobytes = f"{survey.stat().st_size / 1000:.1f}".replace(".", ",")
    uploader = page.get_by_test_id("stFileUploader").inner_text()
    assert re.search(rf"\n{kilobytes}\s+Ko\n", uploader), uploader
    assert not re.search(r"\dKB", uploader), uploader
    screenshot(page, "binome-upload-report")
    page.get_by_role("button", name="Confirmer l'import").click()
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^IMPORTÉ — "))).to_be_visible(timeout=60_000)
    screenshot(page, "binome-upload-imported")
    with engine.connect() as connection:
        waves_after = connection.scalar(
            select(func.count()).select_from(SurveyWave).where(SurveyWave.territory_id == "roya")
        )
        respondents = connection.scalar(
            select(func.count())
            .select_from(Respondent)
            .join(SurveyWave, SurveyWave.id == Respondent.wave_id)
            .where(SurveyWave.territory_id == "roya", SurveyWave.number == waves_before)
        )
    engine.dispose()
    assert (waves_after, respondents) == (waves_before + 1, 15)


def test_lead_approves_a_month_and_downloads_the_pdf(
    page: Page, server: str, tmp_path: Path, e2e_database: str
) -> None:
    sign_in(page, server, EMAILS["lead"], DEMO_PASSWORDS["lead"])
    open_page(page, "Revue mensuelle")
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Mois").click()
    page.get_by_role("option", name="octobre 2026").click()
    wait_ready(page)
    page.get_by_role("button", name="Approuver ce mois (le verrouille)").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Approuver octobre 2026 pour : Vallée de la Roya ?")).to_be_visible()
    dialog.get_by_role("button", name="Approuver", exact=True).click()
    wait_ready(page)
    expect(page.get_by_text("1 mois approuvé et verrouillé.")).to_be_visible()
    expect(page.get_by_text("est approuvé et verrouillé")).to_be_visible()
    screenshot(page, "lead-review-approved")
    with page.expect_download() as download:
        page.get_by_role("button", name="Rapport du mois (PDF)").click()
    pdf = tmp_path / "revue.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    engine = make_engine(e2e_database)
    with engine.connect() as connection:
        approved = connection.scalar(
            select(Journal.status).where(
                Journal.territory_id == "roya", Journal.month == dt.date(2026, 10, 1)
            )
        )
    engine.dispose()
    assert approved == "approved"


def test_funder_downloads_the_report_of_an_approved_month(
    page: Page, server: str, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    sign_in(page, server, EMAILS["funder"], DEMO_PASSWORDS["funder"])
    # The funder lands on the latest approved month (September 2026 in the demo, or October
    # once the lead's journey has approved it); the report is of that month.
    button = page.get_by_role("button", name=re.compile(r"^Rapport — \w+ 2026 \(PDF\)$"))
    month = re.search(r"— (\w+ 2026)", button.inner_text()).group(1)
    assert month in ("septembre 2026", "octobre 2026")
    with page.expect_download() as download:
        button.click()
    pdf = tmp_path / "rapport.pdf"
    download.value.save_as(pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert f"Revue mensuelle — {month}" in text
    assert "Données approuvées et agrégées uniquement" in text


def test_lead_approves_a_selection_of_territories_after_confirming(
    page: Page, server: str, e2e_database: str
) -> None:
    """On the review desk, the lead ticks Entre-Deux-Mers and Forbach (rows 2 and 3, both
    submitted for October in the demo), approves the selection and confirms: both are
    approved, the others untouched; clicking an alert then reviews its territory."""
    sign_in(page, server, EMAILS["lead"], DEMO_PASSWORDS["lead"])
    open_page(page, "Revue mensuelle")
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Mois").click()
    page.get_by_role("option", name="octobre 2026").click()
    wait_ready(page)
    desk = page.get_by_test_id("stDataFrame").first
    box = desk.bounding_box()
    assert box is not None
    for row in (2, 3):  # the row markers (tick boxes) sit in the grid's first 30 px
        page.mouse.click(box["x"] + 15, box["y"] + 35 * row + 17)
        wait_ready(page)
    button = page.get_by_role("button", name="Approuver la sélection (2 journaux soumis)")
    button.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Entre-deux-Mers, Secteur de Forbach ?")).to_be_visible()
    dialog.get_by_role("button", name="Approuver", exact=True).click()
    wait_ready(page)
    expect(page.get_by_text("2 mois approuvés et verrouillés.")).to_be_visible()
    screenshot(page, "lead-review-desk-approved")
    engine = make_engine(e2e_database)
    with engine.connect() as connection:
        statuses = dict(
            connection.execute(
                select(Journal.territory_id, Journal.status).where(
                    Journal.month == dt.date(2026, 10, 1)
                )
            ).all()
        )
    engine.dispose()
    assert statuses["entre-deux-mers"] == statuses["forbach"] == "approved"
    assert statuses["nantes-qpv"] == "submitted"
    # The alerts list their territory; ticking one reviews it (the review showed Roya). In
    # the demo, October's first alert is Forbach's drop in workshop attendance (67 % → 42 %).
    alerts = page.get_by_test_id("stDataFrame").nth(1)
    first = alerts.bounding_box()
    assert first is not None
    main = page.get_by_test_id("stMain")
    page.mouse.click(first["x"] + 15, first["y"] + 35 + 17)
    # While the page runs again the old heading may stay a moment beside the new one.
    expect(main.get_by_role("heading", name="Secteur de Forbach — ce qui a changé")).to_be_visible(
        timeout=15_000
    )
    expect(main.get_by_role("heading", name="Vallée de la Roya — ce qui a changé")).to_have_count(
        0, timeout=15_000
    )
