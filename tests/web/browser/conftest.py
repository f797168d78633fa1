"""A real browser for the web tests: Playwright driving the system's Chromium (never a
downloaded one), against ``lagebild serve`` on the small corpus of ../conftest.py.

Without Chromium (or the playwright package) the browser tests skip with the reason printed;
in CI (``CI=true``, or ``LAGEBILD_REQUIRE_BROWSER=1``) they fail instead, since ``.ci/run``
installs Chromium. Screenshots go to ``test-artifacts/browser/`` (ignored by git). The
accessibility check uses axe-core from the npm registry, installed once into a cache folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = Path(os.environ.get("LAGEBILD_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
AXE_VERSION = "4.10.3"
AXE_CACHE = Path(
    os.environ.get("LAGEBILD_AXE_CACHE", Path.home() / ".cache" / "lagebild-tests" / "axe")
)
# as the machines' notes advise: no GPU, no sandbox as root, and no background connections
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("LAGEBILD_REQUIRE_BROWSER") == "1"


def _missing(reason: str) -> None:
    if _required():
        pytest.fail(f"{reason} (required in CI; .ci/run installs it)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """The system's Chromium: $LAGEBILD_CHROMIUM, else the usual names on PATH."""
    if os.environ.get("LAGEBILD_CHROMIUM"):
        return os.environ["LAGEBILD_CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    mac = "/Applications/Chromium.app/Contents/MacOS/Chromium"
    return mac if Path(mac).exists() else None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    exe = chromium_path()
    if exe is None:
        _missing(
            "Chromium not found: apt-get install chromium (Debian/Ubuntu) or "
            "brew install --cask chromium (macOS), or set LAGEBILD_CHROMIUM"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed: pip install -e '.[dev]'")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, served) -> Iterator[object]:
    """A fresh page at 1,400 px; console errors and page errors are collected and must stay
    empty (a Content-Security-Policy violation is one)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=served.url)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.set_default_timeout(10_000)
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert errors == [], f"console errors: {errors}"


def _screenshot(pg, path: Path) -> None:
    """One artefact picture. Headless Chromium now and then answers "Unable to capture
    screenshot" on a loaded machine (seen in a CI run): try again once, then warn — the
    picture documents the page, the test's assertions judge it."""
    for attempt in (1, 2):
        try:
            pg.screenshot(path=str(path), full_page=False)
            return
        except Exception as exc:  # playwright's Error; the page itself is still usable
            if attempt == 2:
                warnings.warn(f"screenshot {path.name} not taken: {exc}", stacklevel=3)
            else:
                pg.wait_for_timeout(500)


def take_shots(pg, name: str) -> Path:
    """Screenshots of the page at 1,400 px and at 390 px (a phone) in test-artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    first = ARTIFACTS / f"{name}-1400.png"
    size = pg.viewport_size
    pg.set_viewport_size({"width": 1400, "height": 900})
    _screenshot(pg, first)
    pg.set_viewport_size({"width": 390, "height": 844})
    _screenshot(pg, ARTIFACTS / f"{name}-390.png")
    pg.set_viewport_size(size)
    return first


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's browser bundle, installed from the npm registry once into a cache folder."""
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        _missing("npm not found: the accessibility check installs axe-core with it")
    AXE_CACHE.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [npm, "install", "--prefix", str(AXE_CACHE), "--no-audit", "--no-fund",
         f"axe-core@{AXE_VERSION}"],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    if proc.returncode != 0 or not script.exists():
        _missing(f"npm could not install axe-core: {proc.stderr.strip()[-300:]}")
    return script


@pytest.fixture(scope="session")
def shot():
    """``shot(page, name)``: the page at 1,400 px and 390 px wide, saved as artefacts."""
    return take_shots
