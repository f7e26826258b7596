"""A real `megaroth serve` (a subprocess: uvicorn on 127.0.0.1, a free port) and one headless
Chromium for the whole session, driven by Selenium through Debian's chromedriver.

Selenium is given the chromedriver and the browser explicitly, so Selenium Manager never runs
(it would try to download a driver). Chromium starts without the background services that
reach for the network (on a closed network they make it hang), with a fresh profile.

Without a browser (no /usr/bin/chromium, /usr/bin/chromedriver or selenium) the tests skip
saying what is missing, except when MEGAROTH_REQUIRE_BROWSER=1 (set by .ci/run): then they fail.
MEGAROTH_CHROMIUM and MEGAROTH_CHROMEDRIVER name another browser and driver.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "output" / "screenshots"
CHROMIUM = os.environ.get("MEGAROTH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("MEGAROTH_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1200,1800")


def _missing() -> str | None:
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).is_file():
            return f"no browser for the browser tests: {path} is missing (apt-get install {package})"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "no browser driver for the browser tests: selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def serving(tmp_path_factory):
    """`megaroth serve --port N` itself, as a user starts it, still starting: (process, port)."""
    port = free_port()
    env = {**os.environ, "MEGAROTH_LEDGER": str(tmp_path_factory.mktemp("ledger") / "ledger.sqlite3")}
    process = subprocess.Popen([sys.executable, "-m", "megaroth", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    yield process, port
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def server(serving) -> str:
    """The server's base URL, once it answers."""
    process, port = serving
    return wait_until_serving(process, port)


@pytest.fixture(scope="session")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


def require_browser() -> None:
    """Skip saying what is missing, or fail under MEGAROTH_REQUIRE_BROWSER=1 (CI)."""
    reason = _missing()
    if reason:
        if os.environ.get("MEGAROTH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; MEGAROTH_REQUIRE_BROWSER=1 requires it", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium(tmp_path_factory, downloads, serving):
    """One headless Chromium for every browser test (started while the server starts)."""
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "plugins.always_open_pdf_externally": True})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium, server, downloads):
    """The shared browser on a fresh page session (no cookie), the downloads folder emptied."""
    chromium.get(server + "/")  # cookies can be deleted only for the page's own site
    chromium.delete_all_cookies()
    chromium.get(server + "/")
    for path in downloads.iterdir():
        path.unlink() if path.is_file() else shutil.rmtree(path)
    return chromium


@pytest.fixture(scope="session")
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(driver, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1200, max(900, min(height + 40, 4000)))
        driver.save_screenshot(str(path))
        return path
    return save
