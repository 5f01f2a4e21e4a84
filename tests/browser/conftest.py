"""Playwright driving Debian's Chromium (never a downloaded browser build)."""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("QIHUB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("需要 Debian 的 chromium（apt-get install chromium）；`make test` 会自动安装")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls our fixtures make
    # are still plain synchronous calls. Set only while the browser runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    page.csp_violations = csp_violations
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def image_loaded(locator) -> bool:
    """Whether an <img> decoded a picture, waiting for it to finish loading first: a chart drawn on
    request can still be on its way when the page around it is visible (a busy CI machine)."""
    return locator.evaluate(
        """img => img.complete ? img.naturalWidth > 0 : new Promise(done => {
            img.addEventListener("load", () => done(img.naturalWidth > 0));
            img.addEventListener("error", () => done(false));
        })"""
    )


@pytest.fixture
def demo_data(django_db_serialized_rollback, transactional_db):
    """The demo data on top of what the migrations seed (complaint types, guides, synonyms):
    a live-server test empties every table when it ends, so the seeded rows are restored from
    the state serialized after migrating, whichever browser test ran before."""
    from qihub.core.demo import load_demo_data

    load_demo_data()


USED_CODES: dict[str, str] = {}


def log_in(
    page, base: str, username: str, password: str | None = None, otp: str | None = None
) -> None:
    """Log in through the page; staff demo accounts get their current TOTP code."""
    from qihub.accounts.roles import SECOND_FACTOR
    from qihub.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, current_totp

    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or DEMO_PASSWORD)
    staff = {a.username for a in DEMO_ACCOUNTS if a.role in SECOND_FACTOR}
    if otp or username in staff:
        code = otp or current_totp(username)
        if not otp and USED_CODES.get(username) == code:
            # A TOTP code is good once: a second log-in within its 30 seconds waits for the next.
            while code == USED_CODES[username]:
                page.wait_for_timeout(1000)
                code = current_totp(username)
        USED_CODES[username] = code
        page.fill("#id_otp_token", code)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
