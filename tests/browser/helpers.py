"""Helpers for browser tests: launching Chromium, watching pages, and the axe check."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from eventapp.notices import accessibility
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What the accessibility statement says is tested is what is tested: the rules come from it.
AXE_TAGS = list(accessibility.AXE_TAGS)
AXE_FAILS_ON = accessibility.AXE_FAILS_ON
# axe is served from a made-up path on the app's own origin: see axe_check().
AXE_URL_PATH = "/__browser-tests__/axe.min.js"
SETUP_HINT = "Static assets are missing: run `make setup` (it runs `npm ci` and `npm run build`)."


@dataclass
class PageProblems:
    """What the browser reported while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    missing_assets: list[str] = field(default_factory=list)


def watch(page: Page) -> PageProblems:
    """Record console errors (CSP violations among them), uncaught errors and missing assets."""
    problems = PageProblems()

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.console_errors.append(f"{message.text} (on {page.url})")

    def on_response(response: Any) -> None:
        if "/static/" in response.url and response.status >= 400:
            problems.missing_assets.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(f"{error} (on {page.url})"))
    page.on("response", on_response)
    page.problems = problems  # type: ignore[attr-defined]
    return problems


def problems_of(page: Page) -> PageProblems:
    return page.problems  # type: ignore[attr-defined,no-any-return]


def _serve_axe(route: Route) -> None:
    route.fulfill(path=str(AXE_PATH), content_type="text/javascript; charset=utf-8")


def new_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    """A fresh context (its own cookies) that can load axe without weakening the page's CSP."""
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(10_000)
    context.route(f"{base_url}{AXE_URL_PATH}", _serve_axe)
    return context


def new_page(context: BrowserContext) -> Page:
    page = context.new_page()
    watch(page)
    return page


def assert_assets_loaded(page: Page) -> None:
    """Fail, saying how to build them, if the page could not load its CSS or JavaScript."""
    missing = problems_of(page).missing_assets
    if missing:
        pytest.fail(f"{SETUP_HINT} The browser could not load: {', '.join(missing)}")


def reflow_check(page: Page, width: int = accessibility.REFLOW_WIDTH) -> None:
    """WCAG 1.4.10 Reflow, which axe does not test: no sideways scrolling at 320 CSS pixels.

    Data tables are exempt (they need two dimensions), so they are hidden while measuring.
    """
    viewport = page.viewport_size
    page.set_viewport_size({"width": width, "height": 640})
    try:
        overflow = page.evaluate(
            """(width) => {
                const tables = [...document.querySelectorAll('table')];
                const saved = tables.map((t) => t.style.display);
                tables.forEach((t) => { t.style.display = 'none'; });
                try {
                    const wide = document.documentElement.scrollWidth;
                    if (wide <= width) return null;
                    const over = [...document.querySelectorAll('body *')].filter((el) => {
                        const box = el.getBoundingClientRect();
                        return box.width > 1 && (box.right > width + 1
                            || (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1));
                    });
                    const deepest = over.filter(
                        (el) => !over.some((o) => o !== el && el.contains(o)));
                    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                        + [...el.classList].map((c) => '.' + c).join('');
                    return {wide, culprits: deepest.slice(0, 5).map(name)};
                } finally {
                    tables.forEach((t, i) => { t.style.display = saved[i]; });
                }
            }""",
            width,
        )
    finally:
        if viewport:
            page.set_viewport_size(viewport)
    if overflow:
        pytest.fail(
            f"{page.url} needs sideways scrolling at {width}px wide (WCAG 1.4.10 Reflow): "
            f"it is {overflow['wide']}px wide, because of {', '.join(overflow['culprits'])}"
        )


def axe_check(page: Page) -> None:
    """Run axe on the current page; fail on any serious or critical violation.

    Playwright's add_script_tag(path=...) injects the file's text as an inline <script>,
    which the app's Content-Security-Policy (script-src 'self' 'nonce-...') blocks. Rather
    than turn CSP off for the whole context with bypass_csp=True, which would also hide the
    CSP violations these tests look for, each context answers requests for AXE_URL_PATH on
    the app's own origin with the axe file (context.route), so the page loads axe as an
    ordinary 'self' script while CSP stays enforced.
    """
    require(AXE_PATH.is_file(), f"axe-core not found at {AXE_PATH}: run `make setup`")
    assert_assets_loaded(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=AXE_URL_PATH)
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map((n) => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    serious = [v for v in violations if v["impact"] in AXE_FAILS_ON]
    if serious:
        lines = [f"axe: {len(serious)} serious or critical violation(s) on {page.url}"]
        for v in serious:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            lines.extend(f"    at {target}" for target in v["targets"])
        pytest.fail("\n".join(lines))
    reflow_check(page)
