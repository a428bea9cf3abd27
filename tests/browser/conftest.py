"""Browser fixtures: the session app served over HTTP, and Debian's Chromium via Playwright.

Playwright's own browser download is not used: Chromium is launched from CHROMIUM_PATH
(default /usr/bin/chromium). Without it, browser tests skip locally and fail when CI=true.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from tests.browser.helpers import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    SETUP_HINT,
    new_context,
    new_page,
)
from tests.conftest import require

HERE = Path(__file__).resolve().parent
# Browser tests run on one database to keep CI quick; set this to run them on every database.
ALL_DATABASES = os.environ.get("BROWSER_TESTS_ALL_DATABASES", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the PostgreSQL parameter of browser tests (before its database is set up)."""
    if ALL_DATABASES:
        return
    skip = pytest.mark.skip(
        reason="Browser tests run on SQLite only, to keep CI quick "
        "(set BROWSER_TESTS_ALL_DATABASES=1 to run them on PostgreSQL too)"
    )
    for item in items:
        if HERE not in item.path.parents:
            continue
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database_url", "sqlite") != "sqlite":
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _live_server_url(_session_app: Flask) -> Iterator[str]:
    """Serve the session app (the same migrated test database) from a background thread."""
    if not (Path(_session_app.static_folder or "") / "css" / "app.css").is_file():
        pytest.fail(SETUP_HINT)
    server = make_server("127.0.0.1", 0, _session_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def live_server(app: Flask, _live_server_url: str) -> str:
    """The running app's base URL, with CSRF protection on as in production.

    Requesting `app` empties every table after the test and restores the config.
    """
    app.config["WTF_CSRF_ENABLED"] = True
    return _live_server_url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require(
        Path(CHROMIUM_PATH).is_file(),
        f"Browser tests need Chromium at {CHROMIUM_PATH}: apt-get install chromium, "
        "or set CHROMIUM_PATH",
    )
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
    except PlaywrightError as error:
        playwright.stop()
        require(False, f"Chromium at {CHROMIUM_PATH} failed to launch: {error}")
        raise  # require() has already skipped or failed
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture
def context(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    """A new browser context (its own cookies) per test, with the app's CSP enforced."""
    context = new_context(browser, live_server)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return new_page(context)
