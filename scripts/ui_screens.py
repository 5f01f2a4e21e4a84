"""The screenshots of docs/ui.md: pages at 1280 and 375 px from a running demo platform.

    QIHUB_DATA_DIR=<its data dir> SHOT_EXT=jpg .venv/bin/python scripts/ui_screens.py \
        http://127.0.0.1:8000 docs/ui

The data dir is the server's, so the staff demo accounts' TOTP codes can be read.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
django.setup()
from playwright.sync_api import sync_playwright  # noqa: E402

from qihub.core.demo import DEMO_PASSWORD, current_totp  # noqa: E402

base, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
PAGES = [
    (None, "home", "/"),
    (None, "guide", "/services/compulsory-verification/"),
    ("demo_enterprise", "workbench-enterprise", "/accounts/workbench/"),
    ("demo_enterprise", "my-demands", "/demands/"),
    ("demo_enterprise", "complaint-new-error", "/complaints/new/#submit"),
    ("demo_enterprise", "org-picker", "/complaints/new/"),
    ("demo_enterprise", "demand-detail", "/demands/XQ-2026-000001/"),
    ("demo_institution", "institution-orders", "/institution/orders/"),
    ("demo_operator", "operator-demand-queue", "/ops/demands/"),
    ("demo_supervisor", "workbench-supervisor", "/accounts/workbench/"),
    ("demo_supervisor", "statistics", "/ops/statistics/"),
]
STAFF = {"demo_operator", "demo_supervisor", "demo_station", "demo_admin"}
CODES = {user: current_totp(user) for user in STAFF}  # before Playwright: no ORM in its loop
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    current = "x"
    context = page = None
    for user, name, path in PAGES:
        if user != current:
            if context:
                context.close()
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            current = user
            if user:
                page.goto(base + "/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", DEMO_PASSWORD)
                if user in STAFF:
                    page.fill("#id_otp_token", CODES[user])
                page.click("main button[type=submit]")
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
        submit = path.endswith("#submit")
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(base + path.removesuffix("#submit"))
            if submit:
                page.locator("main form button[type=submit]").last.click()
                page.wait_for_load_state()
            if name == "org-picker":
                page.locator("#id_against").press_sequentially("jnjl", delay=100)
                page.wait_for_timeout(1200)
            ext = os.environ.get("SHOT_EXT", "png")
            options = {"type": "jpeg", "quality": 70} if ext == "jpg" else {}
            page.screenshot(path=f"{out}/{name}-{width}.{ext}", full_page=True, **options)
            print(name, width, page.url)
    browser.close()
