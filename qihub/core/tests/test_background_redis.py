"""Scale mode's background queue on a real Redis (started by `make test`), with real processes:
`qihub serve` enqueues, `qihub worker` runs, a SIGKILLed worker loses and repeats nothing."""

import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from qihub.core.tests.test_serve import free_port, wait_for_health

REDIS_URL = os.environ.get("QIHUB_TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="需要 QIHUB_TEST_REDIS_URL（`make test` 会启动 redis-server）"
)


@pytest.fixture
def scale_env(embedded_data_dir):
    """A data directory with a migrated SQLite database and demo accounts, queue on Redis."""
    data_dir, env = embedded_data_dir(seeded=True)
    env["REDIS_URL"] = REDIS_URL
    flush = "from huey.contrib.djhuey import HUEY; HUEY.flush()"
    subprocess.run(
        [sys.executable, "-m", "qihub", "shell", "-c", flush],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    processes: list[subprocess.Popen] = []

    def start(*args: str, extra_env: dict | None = None) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "qihub", *args],
            env={**env, **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        processes.append(process)
        return process

    yield env, start, data_dir / "qihub.sqlite3"
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)


def query(database, sql):
    with sqlite3.connect(database, timeout=20) as connection:
        return connection.execute(sql).fetchall()


def wait_until(condition, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_task_enqueued_by_the_web_process_runs_in_qihub_worker(scale_env):
    from qihub.core.demo import DEMO_PASSWORD

    env, start, database = scale_env
    port = free_port()
    web = start("serve", "--port", str(port))
    wait_for_health(port, web)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"

    def post(path: str, form_page: str, data: dict) -> None:
        page = opener.open(base + form_page).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        opener.open(urllib.request.Request(base + path, data=body))  # noqa: S310 - loopback

    code = subprocess.run(
        [sys.executable, "-m", "qihub", "demo-totp", "demo_operator"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout.strip()
    post(
        "/accounts/login/",
        "/accounts/login/",
        {"username": "demo_operator", "password": DEMO_PASSWORD, "otp_token": code},
    )
    post("/ops/notifications/test/", "/ops/", {})

    # Queued on Redis by the web process; nothing delivers it until a worker runs.
    test_mail = "select address from notifications_deliveredmessage where subject = '平台测试消息'"
    time.sleep(1)
    assert query(database, test_mail) == []
    start("worker", "--workers", "1")
    wait_until(lambda: query(database, test_mail) != [])
    assert query(database, test_mail) == [("demo_operator@demo.invalid",)]


def test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_nothing(scale_env):
    env, start, database = scale_env
    create = (
        "from django.db import transaction\n"
        "from qihub.accounts.models import User\n"
        "from qihub.notifications.outbox import notify\n"
        "with transaction.atomic():\n"
        "    for i in range(12):\n"
        "        notify(User.objects.filter(is_demo=True), f'演练消息 {i}',\n"
        "               channels=['email'], urgent=True)\n"
    )
    subprocess.run(
        [sys.executable, "-m", "qihub", "shell", "-c", create],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    drill = "from notifications_notification where subject like '演练消息%'"
    delivered = (
        "from notifications_deliveredmessage d join notifications_notification n "
        "on n.id = d.notification_id where n.subject like '演练消息%'"
    )
    demo_users = query(database, "select count(*) from accounts_user where is_demo")[0][0]
    total = query(database, f"select count(*) {drill}")[0][0]  # noqa: S608 - fixed test SQL
    assert total == 12 * demo_users
    slow = {
        "QIHUB_EMAIL_BACKEND": "qihub.notifications.testing.SlowDatabaseEmailBackend",
        "QIHUB_DRILL_SEND_SECONDS": "0.2",
    }

    first = start("worker", "--workers", "1", extra_env=slow)
    wait_until(lambda: query(database, f"select count(*) {delivered}")[0][0] >= 5)  # noqa: S608
    os.killpg(first.pid, signal.SIGKILL)  # in the middle of the delivery loop
    first.wait(timeout=30)
    delivered_before_restart = query(database, f"select count(*) {delivered}")[0][0]  # noqa: S608
    assert 5 <= delivered_before_restart < total

    start("worker", "--workers", "1", extra_env={**slow, "QIHUB_DRILL_SEND_SECONDS": "0"})
    # The periodic delivery picks up what the killed worker left (at most a minute later).
    unsent = f"select count(*) {drill} and sent_at is null"  # noqa: S608
    wait_until(lambda: query(database, unsent) == [(0,)], timeout=150)

    counts = f"select count(*), count(distinct d.notification_id) {delivered}"  # noqa: S608
    assert query(database, counts) == [(total, total)]
    assert query(database, f"select max(attempts) {drill}") == [(1,)]  # noqa: S608
