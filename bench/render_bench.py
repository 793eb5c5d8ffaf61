"""Benchmark of the dashboard's rendering: server side with AppTest, and in headless Chromium.

1. **Server-side render** (``streamlit.testing.v1.AppTest``), at 6, 100 and 1,000 territories,
   signed in as the programme lead, ``COOPERASCOPE_TODAY=2026-11-23``, on a copy of the
   indicator benchmark's database of that scale (``var/bench/indicators-<scale>-seed…db``,
   built by :mod:`bench.indicators_bench` if missing). Each scale runs in a fresh process:
   the overview once **cold** (imports, configuration, every query), then ``--runs`` **warm**
   reruns of the same AppTest (``at.run()`` again: Streamlit's caches are warm, as on a server
   that has already shown the page); then the same for the territory page (``switch_page``).
   Reported: the median of the warm reruns (``at.run()`` wall clock, which includes AppTest
   turning the messages into its element tree) and, separately, the script run alone (the
   script thread: what a server spends). Targets: small ≤ 1 s, large ≤ 3 s.
2. **Headless Chromium** (Debian's ``/usr/bin/chromium`` through Playwright) at small: two
   servers on free ports, ``streamlit run dashboard/server.py`` (what ``make run`` serves: the
   app with its session cookie's routes) on the small database and
   ``streamlit run bench/one_chart_app.py`` (the reference: a title and one plotly line). One
   warm-up visit of each is not counted (the server's imports and caches), then the two are
   measured in turn, a new browser context each time, times read on the page's own clock
   (``performance.now()``, from navigation start or from the click):

   - reference: ``page.goto`` → its plotly chart drawn (``.js-plotly-plot .main-svg`` in a
     chart of non-zero width: a chart kept out of sight is not counted) and the script
     finished (``data-test-script-state='notRunning'``); then the same address in a new tab
     of that browser context (its files cached, as for our return visit);
   - ours, **first visit**: ``page.goto`` → the sign-in form ready; then the click on
     « Se connecter » → the overview's first plotly chart drawn and the script finished (and,
     also reported, every chart it opens with drawn: one, the overview showing one chart per
     tab). The click's time is kept in ``sessionStorage``, which would survive a page load.
     **Form ready + sign-in to first chart** (typing excluded) against the reference in a new
     browser: target ≤ 1.5×. The sign-in page has the browser load Plotly after the form is
     drawn, while a person types (``dashboard.chrome.preload_charts``); Playwright's typing
     waits for that uncounted, as a person's typing would hide it;
   - ours, **return visit**: signed in, a new tab of the same browser context (the session
     cookie set) and ``page.goto`` the address → the overview's first chart drawn (a reload, a
     bookmark, a typed address of someone signed in), against the reference in a new tab:
     target ≤ 1.2×;
   - ours, **page switch**: in the same signed-in session, a click on « Vue d'ensemble » in the
     sidebar from the territory page → the overview drawn again, against the reference in a
     new tab: target ≤ 1.0×.

Run: ``python -m bench --only render [--scales small,medium,large] [--runs 7]`` or
``python -m bench.render_bench [--scales …] [--runs N] [--browser-runs N] [--no-browser]
[--profile]``. ``--profile`` adds one profiled warm rerun of each page (cProfile in the script
thread): ``var/bench/render-profile-<scale>-<page>.txt`` (and ``.prof``), summarised in the
report. The Markdown table goes to stdout and ``var/bench/render.md``; progress to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import logging
import os
import pstats
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_DIR,
    PROJECT_ROOT,
    Timing,
    count,
    in_child,
    machine,
    mark,
    markdown_table,
    megabytes,
    ratio,
    say,
    seconds,
)
from bench.indicators_bench import SCALES, parse_scales

OPTIONS = frozenset({"--runs"})  # what ``python -m bench`` passes on
DEFAULT_RUNS = 7  # warm reruns per page and scale
BROWSER_RUNS = 7
MIN_RUNS = 5
TODAY = "2026-11-23"
APP = PROJECT_ROOT / "dashboard" / "app.py"
SERVER = PROJECT_ROOT / "dashboard" / "server.py"  # the app with its session cookie's routes
REFERENCE_APP = PROJECT_ROOT / "bench" / "one_chart_app.py"
APPTEST_TIMEOUT = 900.0  # seconds: a cold run at 1,000 territories reads a lot

TARGET_RENDER = {"small": 1.0, "large": 3.0}
TARGET_BROWSER_RATIO = 1.5  # first visit, against the reference in a new browser
TARGET_RETURN_RATIO = 1.2  # return visit, against the reference in a new tab of that browser
TARGET_SWITCH_RATIO = 1.0  # page switch, against the same

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1800}
BROWSER_TIMEOUT_MS = 60_000
OVERVIEW_TITLE = "Vue d'ensemble"
OVERVIEW_MIN_CHARTS = 1  # the open tab's chart: the stage timeline (one tab per chart)
# Plotly charts a page draws at least: the overview's four, the territory's cards, radar,
# network and actions.
MIN_CHARTS = {"overview": OVERVIEW_MIN_CHARTS, "territory": 10}
PAGES = ("overview", "overview-active", "territory")
PAGE_NAMES = {
    "overview": "overview",
    "overview-active": "overview, active territories chosen",
    "territory": "territory",
}
COMPARED_KEY = "overview_compared"  # the overview's multiselect of compared territories


# --------------------------------------------------------------------------------------------
# Databases


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def scale_database(scale: str, seed: int) -> tuple[str, str]:
    """A working copy of the indicator benchmark's database of ``scale`` (built by
    :func:`bench.indicators_bench.sqlite_database` if missing or built by other code), so that
    sign-ins and whatever the app writes leave the built file untouched. Returns the URL of the
    copy and the built file's name."""
    from bench.indicators_bench import build_key, sqlite_database

    pristine = BENCH_DIR / f"indicators-{scale}-seed{seed}-{build_key(SCALES[scale], seed)}.db"
    if not pristine.exists():
        say(f"{scale}: {pristine.name} missing, building it (bench.indicators_bench)")
        sqlite_database(scale, seed, fresh=False)
    work = BENCH_DIR / f"render-{scale}.work.db"
    _remove_sqlite(work)
    shutil.copyfile(pristine, work)
    return f"sqlite:///{work}", str(pristine.relative_to(PROJECT_ROOT))


# --------------------------------------------------------------------------------------------
# Server side: AppTest, in a child process per scale


class _ScriptClock:
    """Times (and optionally profiles) each script run in Streamlit's script thread: AppTest
    runs the script in a thread of its own, which ``at.run()``'s wall clock also waits for."""

    def __init__(self) -> None:
        self.last: float = 0.0
        self.profiler: cProfile.Profile | None = None

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

        original = ScriptRunner._run_script
        clock = self

        def timed(runner: Any, rerun_data: Any) -> None:
            profiler = clock.profiler
            started = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            try:
                original(runner, rerun_data)
            finally:
                if profiler is not None:
                    profiler.disable()
                clock.last = time.perf_counter() - started

        ScriptRunner._run_script = timed  # type: ignore[method-assign]
        try:
            yield
        finally:
            ScriptRunner._run_script = original  # type: ignore[method-assign]


def _checked_run(at: Any, clock: _ScriptClock, label: str) -> tuple[float, float]:
    """One ``at.run()``: its wall clock and the script thread's time; fails on an exception
    shown by the page."""
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if len(at.exception):
        messages = "; ".join(str(e.value)[:300] for e in at.exception)
        raise RuntimeError(f"{label}: the page raised: {messages}")
    return elapsed, clock.last


# Library entry points worth naming in the summary: (path ending, function) -> label.
PROFILED_LIBRARY = {
    ("streamlit/elements/plotly_chart.py", "plotly_chart"): "st.plotly_chart",
    ("streamlit/elements/arrow.py", "dataframe"): "st.dataframe",
    ("streamlit/runtime/caching/cache_data_api.py", "read_result"): (
        "st.cache_data hits: read_result (unpickle)"
    ),
    ("pandas/io/formats/style.py", "_compute"): "pandas Styler._compute",
    ("plotly/basedatatypes.py", "to_json"): "plotly to_json",
    ("plotly/subplots.py", "make_subplots"): "plotly make_subplots",
}
PROFILE_SHARE = 0.02  # functions under 2 % of the run are left out of the summary


def _profile_summary(profiler: cProfile.Profile, total: float) -> list[tuple[str, float]]:
    """Cumulative seconds (nested calls count in their callers too) of the project's own
    functions (chart builders, reads, catalogue…) and of a few library entry points, over
    ``PROFILE_SHARE`` of the run; largest first; labels carry the number of calls."""
    stats = pstats.Stats(profiler)
    root = str(PROJECT_ROOT).replace("\\", "/") + "/"
    wanted: dict[str, float] = {}
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        calls, cumulative = row[1], row[3]
        if cumulative < PROFILE_SHARE * total:
            continue
        path = filename.replace("\\", "/")
        label = next(
            (v for (end, fn), v in PROFILED_LIBRARY.items() if path.endswith(end) and fn == name),
            None,
        )
        if label is None and path.startswith(root) and "/.venv/" not in path:
            module = path[len(root) : -len(".py")].replace("/", ".")
            if name == "<module>" or module.startswith(("bench.", "dashboard.app")):
                continue
            label = f"{module.removeprefix('dashboard.')}.{name}"
        if label is None:
            continue
        key = f"{label} ×{calls}"
        wanted[key] = max(wanted.get(key, 0.0), cumulative)
    ranked = sorted(wanted.items(), key=lambda item: -item[1])
    return [("whole script run (profiled)", total), *ranked]


def _write_profile(profiler: cProfile.Profile, scale: str, page: str) -> str:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    base = BENCH_DIR / f"render-profile-{scale}-{page}"
    profiler.dump_stats(f"{base}.prof")
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(40)
    Path(f"{base}.txt").write_text(text.getvalue(), encoding="utf-8")
    return str(Path(f"{base}.txt").relative_to(PROJECT_ROOT))


def active_territories(engine: Any) -> list[str]:
    """The territories with indicators in the current month, the first to have started (the
    longest history) first."""
    from sqlalchemy import text

    with engine.connect() as connection:
        found = list(
            connection.execute(
                text(
                    "SELECT s.territory_id FROM territory_stage s "
                    "JOIN territory t ON t.id = s.territory_id WHERE s.month = :month "
                    "ORDER BY t.start_date, t.id"
                ),
                {"month": TODAY[:8] + "01"},
            ).scalars()
        )
    if not found:
        raise RuntimeError(f"no territory has indicators in {TODAY[:7]}")
    return [str(t) for t in found]


def _chart_title(spec: str) -> str:
    """The start of a plotly figure's title, from its JSON."""
    title = json.loads(spec).get("layout", {}).get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return text.split("<")[0][:45]


def _timed_page(
    at: Any, clock: _ScriptClock, label: str, runs: int, page: str, profile: bool, scale: str
) -> dict[str, Any]:
    """One cold run of what ``at`` shows, ``runs`` warm reruns, checks, optionally a profiled
    warm rerun."""
    cold, cold_script = _checked_run(at, clock, label)
    say(f"{label}: first run {seconds(cold)} (script {seconds(cold_script)})")
    walls: list[float] = []
    scripts: list[float] = []
    for number in range(1, runs + 1):
        wall, script = _checked_run(at, clock, label)
        walls.append(wall)
        scripts.append(script)
        say(f"{label}: warm rerun {number}/{runs} {seconds(wall)} (script {seconds(script)})")
    titles = [t.value for t in at.title]
    charts = list(at.get("plotly_chart"))
    kind = "territory" if page == "territory" else "overview"
    if kind == "overview" and OVERVIEW_TITLE not in titles:
        raise RuntimeError(f"{label}: title {OVERVIEW_TITLE!r} not found in {titles}")
    if len(charts) < MIN_CHARTS[kind]:
        raise RuntimeError(
            f"{label}: {len(charts)} plotly chart(s), expected at least {MIN_CHARTS[kind]}: "
            f"the page did not render fully ({titles}, {[i.value for i in at.info]})"
        )
    result: dict[str, Any] = {
        "cold": cold,
        "cold_script": cold_script,
        "warm": Timing(tuple(walls)),
        "script": Timing(tuple(scripts)),
        "charts": len(charts),
        "chart_bytes": sum(len(c.proto.spec) for c in charts),
        "chart_sizes": [(_chart_title(c.proto.spec), len(c.proto.spec)) for c in charts],
        "dataframes": len(at.dataframe),
        "title": titles[0] if titles else "",
    }
    if profile:
        clock.profiler = cProfile.Profile()
        _checked_run(at, clock, label)
        result["profile_file"] = _write_profile(clock.profiler, scale, page)
        result["profile"] = _profile_summary(clock.profiler, clock.last)
        clock.profiler = None
        say(f"{label}: profile written to {result['profile_file']}")
    return result


def apptest_scale(url: str, scale: str, runs: int, profile: bool) -> dict[str, Any]:
    """(Child process) The overview as it opens; where it compares a chosen set of
    territories (a sidebar multiselect above its limit), the overview again with that set
    chosen among the territories active this month; then the territory page on the active
    territory that started first. Each: a first run, ``runs`` warm reruns, optionally one
    profiled warm rerun."""
    os.chdir(PROJECT_ROOT)
    os.environ["DATABASE_URL"] = url
    os.environ["COOPERASCOPE_TODAY"] = TODAY
    sys.path.insert(0, str(PROJECT_ROOT))
    from streamlit.testing.v1 import AppTest

    from data.access import Permission
    from data.demo.accounts import DEMO_EMAIL_DOMAIN
    from data.services.sign_in import open_session, user_by_email
    from data.store.engine import make_engine

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    engine = make_engine(url)
    lead = user_by_email(engine, f"direction@{DEMO_EMAIL_DOMAIN}")
    active = active_territories(engine)
    if lead is None or not lead.scope.can(Permission.REVIEW_MONTH):
        raise RuntimeError(f"{scale}: no lead account in {url}")
    token = open_session(engine, lead)
    engine.dispose()

    clock = _ScriptClock()
    results: dict[str, Any] = {}
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.session_state["session_token"] = token
    with clock.installed():
        results["overview"] = _timed_page(
            at, clock, f"{scale}/overview", runs, "overview", profile, scale
        )
        chooser = [w for w in at.sidebar.multiselect if w.key == COMPARED_KEY]
        if chooser:
            default = list(chooser[0].value)
            chosen = active[: len(default)]
            chooser[0].set_value(chosen)
            result = _timed_page(
                at, clock, f"{scale}/overview-active", runs, "overview-active", profile, scale
            )
            result["compared"] = (len(default), len(chosen), len(set(default) & set(active)))
            results["overview-active"] = result
        # The territory page's default is the first territory to have started, whose
        # programme may be over at medium and large (the page then stops: nothing to time).
        at.session_state["territory"] = active[0]
        at.switch_page("views/territory.py")
        results["territory"] = _timed_page(
            at, clock, f"{scale}/territory", runs, "territory", profile, scale
        )
        results["territory"]["territory_id"] = active[0]
    return results


# --------------------------------------------------------------------------------------------
# Headless Chromium

SCRIPT_DONE = """
const app = document.querySelector("[data-testid='stApp']");
if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
"""

FORM_READY_JS = (
    "() => {"
    + SCRIPT_DONE
    + """
    if (!document.querySelector("[data-testid='stForm'] input[type='password']")) return false;
    return Math.max(performance.now(), 1e-6);
}"""
)

# arg: {title: heading text or "", all: every plotly chart drawn (and at least `min`) rather
# than the first, fromClick: time from the recorded click rather than navigation start}
DRAWN_JS = (
    "(arg) => {"
    + SCRIPT_DONE
    + """
    const live = "[data-testid='stElementContainer']:not([data-stale='true']) ";
    if (arg.title && ![...document.querySelectorAll(live + "h1")].some(
        (h) => h.textContent.includes(arg.title))) return false;
    // Charts in sight: one kept out of it (display: none) is no chart drawn.
    const charts = [...document.querySelectorAll(live + "[data-testid='stPlotlyChart']")]
        .filter((c) => c.getBoundingClientRect().width > 0);
    const drawn = charts.filter((c) => c.querySelector(".js-plotly-plot .main-svg"));
    const needed = arg.all ? Math.max(charts.length, arg.min) : 1;
    if (drawn.length < needed) return false;
    // The click's epoch time survives the page load that a sign-in makes.
    const clicked = sessionStorage.getItem("__benchClick");
    if (arg.fromClick && clicked === null) return false;
    const origin = arg.fromClick ? Number(clicked) - performance.timeOrigin : 0;
    return Math.max(performance.now() - origin, 1e-6);
}"""
)

RECORD_CLICK_JS = """() => {
    sessionStorage.removeItem("__benchClick");
    document.addEventListener("click", () => {
        sessionStorage.setItem("__benchClick", String(performance.timeOrigin + performance.now()));
    }, {capture: true, once: true});
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: Path, env: dict[str, str], label: str) -> Iterator[str]:
    """``streamlit run script`` on a free port until the block ends; yields its address."""
    port = _free_port()
    log = BENCH_DIR / f"render-server-{label}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        address = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{label} server exited: see {log}")
                try:
                    with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{label} server did not start within 90 s: see {log}")
                time.sleep(0.3)
            say(f"browser: {label} server ready at {address} (pid {process.pid})")
            yield address
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_value(page: Any, script: str, arg: Any = None) -> float:
    handle = page.wait_for_function(script, arg=arg, polling="raf", timeout=BROWSER_TIMEOUT_MS)
    return float(handle.json_value()) / 1000.0


def _reference_visit(browser: Any, address: str) -> dict[str, float]:
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(address, wait_until="commit")
        chart = {"title": "", "all": False, "min": 1, "fromClick": False}
        drawn = _wait_value(page, DRAWN_JS, chart)
        # Loaded again the way our return visit is: a new tab of the same browser (its files
        # cached).
        tab = context.new_page()
        tab.goto(address, wait_until="commit")
        return {"drawn": drawn, "again": _wait_value(tab, DRAWN_JS, chart)}
    finally:
        context.close()


def _our_visit(browser: Any, address: str, email: str, password: str) -> dict[str, float]:
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(address, wait_until="commit")
        form = _wait_value(page, FORM_READY_JS)
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe", exact=True).fill(password)
        page.evaluate(RECORD_CLICK_JS)
        page.get_by_role("button", name="Se connecter").click()
        overview = {"title": OVERVIEW_TITLE, "min": OVERVIEW_MIN_CHARTS, "fromClick": True}
        first = _wait_value(page, DRAWN_JS, {**overview, "all": False})
        every = _wait_value(page, DRAWN_JS, {**overview, "all": True})
        # The same session: to the territory page, then back to the overview by the sidebar.
        nav = page.get_by_test_id("stSidebarNav").get_by_role("link")
        nav.filter(has_text="Territoire").first.click()
        page.wait_for_url("**/territory*", timeout=BROWSER_TIMEOUT_MS)
        page.wait_for_function(
            "() => {"
            + SCRIPT_DONE
            + """
            const live = "[data-testid='stElementContainer']:not([data-stale='true']) ";
            return [...document.querySelectorAll(live + "h1")].length > 0 &&
                ![...document.querySelectorAll(live + "h1")].some(
                    (h) => h.textContent.includes("ensemble"));
            }""",
            polling="raf",
            timeout=BROWSER_TIMEOUT_MS,
        )
        page.wait_for_timeout(300)
        page.evaluate(RECORD_CLICK_JS)
        nav.filter(has_text=OVERVIEW_TITLE).first.click()
        again = _wait_value(page, DRAWN_JS, {**overview, "all": False})
        # Signed in: the address typed in a new tab, which sends the session cookie.
        tab = context.new_page()
        tab.goto(address, wait_until="commit")
        cookie = _wait_value(tab, DRAWN_JS, {**overview, "all": False, "fromClick": False})
        return {
            "form": form,
            "signin_first": first,
            "signin_all": every,
            "nav_first": again,
            "cookie_first": cookie,
        }
    finally:
        context.close()


@dataclass
class BrowserResult:
    reference: Timing
    reference_again: Timing
    form: Timing
    signin_first: Timing
    signin_all: Timing
    total: Timing
    nav_first: Timing
    cookie_first: Timing
    chromium: str
    notes: list[str] = field(default_factory=list)


def browser_bench(url: str, runs: int) -> BrowserResult:
    """Both servers up, one warm-up visit each, then ``runs`` visits of each, alternating."""
    from playwright.sync_api import sync_playwright

    from data.demo.accounts import DEMO_EMAIL_DOMAIN, DEMO_PASSWORDS

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    email, password = f"direction@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORDS["lead"]
    env = {"DATABASE_URL": url, "COOPERASCOPE_TODAY": TODAY}
    samples: dict[str, list[float]] = {
        k: []
        for k in (
            "reference",
            "reference_again",
            "form",
            "signin_first",
            "signin_all",
            "nav_first",
            "cookie_first",
        )
    }
    with (
        streamlit_server(SERVER, env, "ours") as ours,
        streamlit_server(REFERENCE_APP, {}, "reference") as reference,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            version = browser.version
            say("browser: warm-up visits (not counted)")
            _reference_visit(browser, reference)
            _our_visit(browser, ours, email, password)
            for number in range(1, runs + 1):
                # Alternate which goes first, so that neither always follows the other.
                order = ("reference", "ours") if number % 2 else ("ours", "reference")
                for which in order:
                    if which == "reference":
                        visit = _reference_visit(browser, reference)
                        samples["reference"].append(visit["drawn"])
                        samples["reference_again"].append(visit["again"])
                    else:
                        visit = _our_visit(browser, ours, email, password)
                        for key, value in visit.items():
                            samples[key].append(value)
                say(
                    f"browser: run {number}/{runs}: reference {seconds(samples['reference'][-1])}"
                    f" (new tab {seconds(samples['reference_again'][-1])})"
                    f"; ours form {seconds(samples['form'][-1])} + sign-in → overview "
                    f"{seconds(samples['signin_first'][-1])} (all charts "
                    f"{seconds(samples['signin_all'][-1])}); sidebar → overview "
                    f"{seconds(samples['nav_first'][-1])}; new tab with the cookie → overview "
                    f"{seconds(samples['cookie_first'][-1])}"
                )
        finally:
            browser.close()
    totals = tuple(f + s for f, s in zip(samples["form"], samples["signin_first"], strict=True))
    return BrowserResult(
        reference=Timing(tuple(samples["reference"])),
        reference_again=Timing(tuple(samples["reference_again"])),
        form=Timing(tuple(samples["form"])),
        signin_first=Timing(tuple(samples["signin_first"])),
        signin_all=Timing(tuple(samples["signin_all"])),
        total=Timing(totals),
        nav_first=Timing(tuple(samples["nav_first"])),
        cookie_first=Timing(tuple(samples["cookie_first"])),
        chromium=version,
    )


# --------------------------------------------------------------------------------------------
# Report


@dataclass
class ScaleResult:
    scale: str
    database: str
    pages: dict[str, Any]
    peak_rss: int


def _target(scale: str) -> str:
    return f"≤ {seconds(TARGET_RENDER[scale])}" if scale in TARGET_RENDER else "—"


def _warm_cell(scale: str, timing: Timing) -> str:
    if scale not in TARGET_RENDER:
        return timing.describe()
    return f"{timing.describe()} {mark(timing.median <= TARGET_RENDER[scale])}"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def report(
    results: list[ScaleResult], browser: BrowserResult | None, command: str, runs: int
) -> str:
    info = machine()
    lines = [
        "## Render benchmark (AppTest and headless Chromium)",
        "",
        *info.lines(),
        f"- Also: Streamlit {_version('streamlit')}, plotly {_version('plotly')}, "
        f"Playwright {_version('playwright')}"
        + (f", Chromium {browser.chromium}" if browser else ""),
        f"- Command: `{command}`",
        f"- Data: copies of the indicator benchmark's demo databases (36 months, 7 waves, "
        f"about 60 actors per territory), signed in as the programme lead, "
        f"`COOPERASCOPE_TODAY={TODAY}`",
        "",
    ]
    if results:
        headers = [
            "server side (AppTest)",
            *(f"{r.scale} ({count(SCALES[r.scale])} territories)" for r in results),
            "target",
        ]
        targets = ", ".join(f"{s} ≤ {seconds(v)}" for s, v in TARGET_RENDER.items())
        rows: list[list[str]] = []
        for page in PAGES:
            if not any(page in r.pages for r in results):
                continue
            name = PAGE_NAMES[page]
            first = (
                "first run in a fresh process (cold: imports, queries)"
                if page == "overview"
                else "first run (its own reads cold)"
            )

            def cell(r: ScaleResult, make: Any, page: str = page) -> str:
                return make(r.pages[page]) if page in r.pages else "—"

            rows += [
                [f"{name}: {first}", *(cell(r, lambda p: seconds(p["cold"])) for r in results), ""],
                [
                    f"**{name}: warm rerun, median** (`at.run()`)",
                    *(cell(r, lambda p, s=r.scale: _warm_cell(s, p["warm"])) for r in results),
                    targets,
                ],
                [
                    f"{name}: of which the script run (server work), median",
                    *(cell(r, lambda p: p["script"].describe()) for r in results),
                    "",
                ],
                [
                    f"{name}: plotly charts / their JSON / dataframes",
                    *(
                        cell(
                            r,
                            lambda p: (
                                f"{p['charts']} / {p['chart_bytes'] / 1e6:.2f} MB"
                                f" / {p['dataframes']}"
                            ),
                        )
                        for r in results
                    ),
                    "",
                ],
            ]
        rows.append(
            [
                "peak memory of the process (RSS)",
                *(megabytes(r.peak_rss) for r in results),
                "",
            ]
        )
        lines += [markdown_table(headers, rows), ""]
    if browser:
        b = browser
        cold, warm = b.reference.median, b.reference_again.median

        def against(timing: Timing, reference: float, target: float) -> str:
            share = timing.median / reference
            return f"{ratio(share)} {mark(share <= target)}"

        rows = [
            [
                "reference: one-chart page in a new browser, `page.goto` → its chart drawn and "
                "script finished",
                b.reference.describe(),
                "reference (first visit)",
            ],
            [
                "reference: the same in a new tab of that browser (its files cached)",
                b.reference_again.describe(),
                "reference (return visit, page switch)",
            ],
            ["ours: `page.goto` → sign-in form ready", b.form.describe(), ""],
            [
                "ours: click « Se connecter » → first overview chart drawn, script finished",
                b.signin_first.describe(),
                "",
            ],
            [
                "ours: click « Se connecter » → every chart the overview opens with drawn",
                b.signin_all.describe(),
                "",
            ],
            [
                "**first visit: navigation → drawn overview** (form ready + sign-in → first "
                "chart), ours / reference",
                f"{b.total.describe()}: {against(b.total, cold, TARGET_BROWSER_RATIO)}",
                f"≤ {TARGET_BROWSER_RATIO}×",
            ],
            [
                "**return visit: signed in, `page.goto` in a new tab (session cookie sent) → "
                "first overview chart drawn**, ours / reference in a new tab",
                f"{b.cookie_first.describe()}: "
                f"{against(b.cookie_first, warm, TARGET_RETURN_RATIO)} "
                f"({ratio(b.cookie_first.median / cold)} of the first-visit reference)",
                f"≤ {TARGET_RETURN_RATIO}×",
            ],
            [
                "**page switch: sidebar « Vue d'ensemble » from the territory page → first chart "
                "drawn, script finished**, ours / reference in a new tab",
                f"{b.nav_first.describe()}: {against(b.nav_first, warm, TARGET_SWITCH_RATIO)}",
                f"≤ {TARGET_SWITCH_RATIO}×",
            ],
        ]
        lines += [
            markdown_table(
                ["headless Chromium, small (6 territories), warm servers", "median", "target"],
                rows,
            ),
            "",
        ]
    notes = [
        f"Medians; (low–high, runs) in brackets. Warm = {runs} reruns of the same AppTest after "
        "its first run: Streamlit's caches (`st.cache_data` reads, `st.cache_resource` engine) "
        "are warm, as on a server that has already shown the page. `at.run()` includes AppTest "
        "parsing the messages; the script run is the time of Streamlit's script thread alone.",
        "Cold = the page's first run in a fresh process (imports of the dashboard, pandas and "
        "plotly, configuration, every query); the territory page's first run comes after the "
        "overview's, so the shared imports are already done.",
    ]
    if browser:
        notes.append(
            "Chromium: a new browser context (empty cache) per visit, then a new tab of it for "
            "the return visit (files cached, for both pages), one uncounted warm-up visit of "
            "each server, visits alternated; times on the page's clock (`performance.now()`, "
            "from navigation start or from the click). « Drawn » = a plotly `.main-svg` in a "
            "live element of non-zero width and `data-test-script-state='notRunning'`. The "
            "typing of the e-mail and password is not counted (nor what the browser does "
            "meanwhile: the sign-in page loads Plotly then); the sign-in (argon2 check) is."
        )
    profiles: list[str] = []
    for r in results:
        notes.append(f"{r.scale}: database copied from `{r.database}`.")
        for page in ("overview", "overview-active"):
            if page in r.pages:
                sizes = ", ".join(
                    f"« {title or '(untitled)'}… » {size / 1e6:.2f} MB"
                    for title, size in r.pages[page]["chart_sizes"]
                )
                notes.append(f"{r.scale}, {PAGE_NAMES[page]}: charts' JSON: {sizes}.")
        if "overview-active" in r.pages:
            shown, chosen, overlap = r.pages["overview-active"]["compared"]
            notes.append(
                f"{r.scale}: the overview opens on {shown} territories compared, of which "
                f"{overlap} have indicators in {TODAY[:7]}; « active territories chosen » = "
                f"the first {chosen} territories to have started among those with indicators "
                "this month, chosen in its sidebar."
            )
        notes.append(
            f"{r.scale}: territory page on `{r.pages['territory']['territory_id']}` "
            f"({r.pages['territory']['title']}), the first active territory to have started."
        )
        for page in PAGES:
            if "profile" in r.pages.get(page, {}):
                parts = "; ".join(
                    f"{name} {seconds(value)}" for name, value in r.pages[page]["profile"][:14]
                )
                profiles.append(f"{r.scale}, {page}: {parts} — `{r.pages[page]['profile_file']}`")
    lines += ["Notes:", "", *(f"- {note}" for note in notes)]
    if profiles:
        lines += [
            "",
            "Where the time goes: one warm rerun of each page under cProfile (script thread; "
            "cumulative seconds, nested calls counted in their callers too, ×calls; cProfile "
            "slows Python code down, so compare the items with each other):",
            "",
            *(f"- {line}" for line in profiles),
        ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Entry point


def build_parser() -> argparse.ArgumentParser:
    from data.demo.generator import DEFAULT_SEED

    parser = argparse.ArgumentParser(
        prog="python -m bench.render_bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--scales", type=parse_scales, default=list(SCALES), help="small,medium,large (default)"
    )
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help=f"warm reruns per page ({DEFAULT_RUNS})"
    )
    parser.add_argument(
        "--browser-runs", type=int, default=BROWSER_RUNS, help=f"visits each ({BROWSER_RUNS})"
    )
    parser.add_argument("--no-browser", action="store_true", help="AppTest only")
    parser.add_argument("--no-apptest", action="store_true", help="Chromium only")
    parser.add_argument(
        "--profile", action="store_true", help="one cProfile'd warm rerun of each page"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=argparse.SUPPRESS)
    parser.add_argument(
        "--output", type=Path, default=BENCH_DIR / "render.md", help=argparse.SUPPRESS
    )
    return parser


def main(argv: Sequence[str] | None = None, command: str | None = None) -> int:
    """Run the render benchmark; print the Markdown report and write it to ``--output``."""
    os.chdir(PROJECT_ROOT)
    args = build_parser().parse_args(argv)
    if args.runs < MIN_RUNS or args.browser_runs < MIN_RUNS:
        say(f"render: fewer than {MIN_RUNS} runs asked; {MIN_RUNS} made (medians of ≥ 5 runs)")
        args.runs, args.browser_runs = max(args.runs, MIN_RUNS), max(args.browser_runs, MIN_RUNS)
    command = command or "python -m bench.render_bench " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    results: list[ScaleResult] = []
    if not args.no_apptest:
        for scale in args.scales:
            url, built = scale_database(scale, args.seed)
            say(f"render: AppTest at {scale} ({SCALES[scale]} territories), fresh process")
            pages, peak = in_child(apptest_scale, url, scale, args.runs, args.profile)
            results.append(ScaleResult(scale, built, pages, peak))
    browser = None
    if not args.no_browser:
        url, _ = scale_database("small", args.seed)
        say("render: headless Chromium at small")
        browser = browser_bench(url, args.browser_runs)
    text = report(results, browser, command.strip(), args.runs)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    say(f"render: report written to {args.output}")
    return 0


if __name__ == "__main__":
    # Through the package, so that the child processes find the functions they run by name.
    from bench.render_bench import main as package_main

    raise SystemExit(package_main())
