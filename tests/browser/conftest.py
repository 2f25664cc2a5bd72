"""Fixtures for the end-to-end tests: Debian's Chromium driven by Playwright, against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "browser-test-password-2026"
AXE = Axe()  # axe-core, shipped inside the pinned axe-playwright-python package: nothing is downloaded


def assert_accessible(page):
    """axe-core finds no violation of any rule on the page as it is now (WCAG 2.1 A/AA and best practices).

    The pointer leaves the page and the focus its control first, and the colours' transitions (0.15 s in
    Bootstrap) end: a button just clicked is otherwise judged half-way between two colours.
    """
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur && document.activeElement.blur()")
    page.wait_for_timeout(300)
    results = AXE.run(page)
    assert results.violations_count == 0, f"axe-core on {page.url}:\n{results.generate_report()}"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if _in_ci():
            pytest.fail(f"CI=true but {CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(
            f"no browser at {CHROMIUM} and not in CI (CI is not 'true'): install Debian's chromium to run these"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _check_every_page_reached(page):
    """axe-core on every page a test reaches: after each `goto`, and after each wait for a new address or
    an element (how the tests follow a click that loads a page), once per address and state."""
    checked = set()

    def after(method):
        def wrapper(*args, **kwargs):
            result = method(*args, **kwargs)
            key = page.url
            if key not in checked and page.url.startswith("http"):
                checked.add(key)
                assert_accessible(page)
            return result

        return wrapper

    for name in ("goto", "wait_for_url", "wait_for_selector"):
        setattr(page, name, after(getattr(page, name)))


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, accept_downloads=True, locale="nl-BE", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    _check_every_page_reached(page)
    yield page
    # The page each test ends on is checked too (every page a test screenshots is checked by `shot`).
    if page.url.startswith(live_server.url) and "html" in (page.evaluate("document.contentType") or ""):
        assert_accessible(page)
    context.close()


@pytest.fixture
def login(page):
    def _login(user):
        from accounts.otp import confirmed_device, current_code, ensure_confirmed_device, needs_second_factor

        if needs_second_factor(user):
            ensure_confirmed_device(user)
        page.context.clear_cookies()
        page.goto("/gebruiker/aanmelden/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        if needs_second_factor(user):
            # Administrators type the code of their authenticator app, as in production.
            page.wait_for_url("**/gebruiker/code/?**")
            page.fill("input[name=code]", current_code(confirmed_device(user)))
            page.click("main form button[type=submit]")
        page.wait_for_url("**/")
        return page

    return _login


@pytest.fixture
def shot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(name, of=None):
        """Check the page (`of`, by default the test's page) with axe-core, then save its screenshot."""
        target = of or page
        assert_accessible(target)
        target.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return _shot
