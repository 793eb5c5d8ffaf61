"""End-to-end fixtures: a real Streamlit server on a demo database, driven by Playwright in
Debian's headless Chromium. Chromium is required: if it is missing, these tests fail."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from data.config import get_config
from data.demo.accounts import with_demo_passwords
from data.demo.generator import generate_demo
from data.demo.load import load_demo
from data.store.engine import make_engine
from data.store.indicator_store import compute
from data.store.migrate import upgrade
from data.store.sync import sync_config
from tests.conftest import DEMO_END_MONTH

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_demo_database(url: str) -> str:
    """Migrate the empty database at ``url``, load the demo history, compute; return ``url``."""
    engine = make_engine(url)
    upgrade(engine)
    sync_config(engine, get_config())
    load_demo(engine, with_demo_passwords(generate_demo(get_config(), end_month=DEMO_END_MONTH)))
    compute(engine, until=DEMO_END_MONTH)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return load_demo_database(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'demo.db'}")


@contextlib.contextmanager
def running_server(
    database_url: str, port: int | None = None, today: dt.date = DEMO_END_MONTH
) -> Iterator[str]:
    """``streamlit run dashboard/server.py`` (what ``make run`` serves: the app and its
    session cookie's routes) on ``database_url``, on ``port`` or a free one, with ``today``
    as the date, until the block ends; yields its address."""
    port = port or _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "COOPERASCOPE_TODAY": today.isoformat(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "server.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stdout.read().decode()) from None
                time.sleep(0.2)
        else:
            raise RuntimeError("Streamlit did not start within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def server(e2e_database: str) -> Iterator[str]:
    with running_server(e2e_database) as address:
        yield address


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: run `make test` (apt-get)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def wait_ready(page: Page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit has finished running the page's script."""
    page.wait_for_selector(READY, timeout=timeout_ms)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def heading(page: Page, name: str, timeout_ms: int = 30_000) -> None:
    """Wait until the main area shows the heading ``name`` and the page has finished running."""
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=name, exact=True)).to_be_visible(timeout=timeout_ms)
    wait_ready(page)


def choose(page: Page, label: str, option: str) -> None:
    """Choose ``option`` in the sidebar's select box ``label`` and wait for the page's run."""
    page.get_by_test_id("stSidebar").get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_ready(page)
