"""Two app processes, one state (issue 22 part 6, docs/deployment.md): two `qihub serve`
processes on different ports, as two app machines behind a proxy would be. A session made on A
works on B, a file uploaded on A downloads from B, and a rate limit used up on A refuses on B.

Scale mode: one PostgreSQL (the PostgreSQL pass's server, a database of its own) and one Redis
(`QIHUB_TEST_REDIS_URL`), separate data directories whose uploads folder is one shared mount.
Embedded mode: both processes on one data directory (one SQLite file, the database cache).
"""

import http.cookiejar
import io
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from PIL import Image

from qihub.core.tests.test_serve import free_port, wait_for_health

PASSWORD = "Shared-state-passw0rd"
SEARCH = urllib.parse.quote("检测")
CREATE_USER = (
    "from qihub.accounts.models import Role, User\n"
    "User.objects.create_user(username='shared_user', password='{password}',\n"
    "    role=Role.INDIVIDUAL, display_name='共享状态测试用户')\n"
)


def qihub(env: dict, *args: str, timeout: int = 900) -> None:
    # migrate alone took 49 s on a loaded CI machine
    subprocess.run(
        [sys.executable, "-m", "qihub", *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=timeout,
    )


@pytest.fixture
def postgres_and_redis():
    """A database of this test's own on the PostgreSQL pass's server, and the test Redis."""
    url = os.environ.get("DATABASE_URL", "")
    redis = os.environ.get("QIHUB_TEST_REDIS_URL", "")
    if not url.startswith("postgres") or not redis:
        pytest.skip("需要 PostgreSQL（DATABASE_URL）和 QIHUB_TEST_REDIS_URL（`make test` 会启动）")
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"qihub_shared_{uuid.uuid4().hex[:8]}"
    admin = {
        "host": config["HOST"],
        "port": config["PORT"] or None,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": config["NAME"],
        "autocommit": True,
    }
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), redis
    with psycopg.connect(**admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_pair(environments: list[dict]) -> tuple[list[str], list[subprocess.Popen]]:
    bases, processes = [], []
    for env in environments:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "qihub", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        processes.append(process)
        bases.append(f"http://127.0.0.1:{port}")
    for base, process in zip(bases, processes, strict=True):
        wait_for_health(int(base.rsplit(":", 1)[1]), process)
    return bases, processes


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple:
    boundary = uuid.uuid4().hex
    body = b""
    for key, value in fields.items():
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        ).encode()
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
        "\r\nContent-Type: image/png\r\n\r\n"
    ).encode()
    body += content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def prove_shared_state(a: str, b: str) -> None:
    # Cookies are kept per host, not per port: one browser talking to A and then to B.
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def get(url: str) -> tuple[int, str, str]:
        try:
            with opener.open(url, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()

    # A session: logged in on A, recognised on B.
    login = get(f"{a}/accounts/login/")[2]
    form = {
        "username": "shared_user",
        "password": PASSWORD,
        "csrfmiddlewaretoken": csrf_token(login),
    }
    opener.open(f"{a}/accounts/login/", urllib.parse.urlencode(form).encode(), timeout=60)
    status, final, page = get(f"{b}/accounts/workbench/")
    assert status == 200 and "/accounts/login/" not in final
    assert "共享状态测试用户" in page

    # An upload: a support request with a screenshot sent to A, the screenshot read from B.
    new = get(f"{a}/support/new/")[2]
    picture = png()
    fields = {"csrfmiddlewaretoken": csrf_token(new), "description": "两台服务器共享文件的测试"}
    body, content_type = multipart(fields, "screenshot", "截图.png", picture)
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{a}/support/new/", data=body, headers={"Content-Type": content_type}
    )
    with opener.open(request, timeout=60) as response:
        detail_path = urllib.parse.urlsplit(response.geturl()).path
    assert re.fullmatch(r"/support/[^/]+/", detail_path)
    status, _, detail = get(b + detail_path)
    assert status == 200
    shot = re.search(r'href="(/support/[^"]+/screenshots/\d+/)"', detail).group(1)
    with opener.open(b + shot, timeout=60) as response:
        assert response.read() == picture

    # A rate limit (3 searches a day per address, set below): used up on A, refused on B.
    for _ in range(3):
        assert get(f"{a}/search/?q={SEARCH}")[0] == 200
    status, _, page = get(f"{b}/search/?q={SEARCH}")
    assert status == 429


@pytest.mark.req("OPS-3")
def test_two_app_processes_share_sessions_uploads_and_rate_limits_on_postgresql_and_redis(
    tmp_path, postgres_and_redis
):
    database_url, redis_url = postgres_and_redis
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    common = {
        **base,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # Every app machine has the same key (sessions are signed with it), set by the operator.
        "QIHUB_SECRET_KEY": "shared-state-test-" + "k" * 50,
        "QIHUB_RATE_SEARCH": "3/d",
    }
    machine_a, machine_b = tmp_path / "a", tmp_path / "b"
    machine_a.mkdir(mode=0o700)
    machine_b.mkdir(mode=0o700)
    (machine_a / "uploads").mkdir()
    # The shared file store: one folder mounted on both machines (docs/deployment.md).
    (machine_b / "uploads").symlink_to(machine_a / "uploads")
    env_a = {**common, "QIHUB_DATA_DIR": str(machine_a)}
    env_b = {**common, "QIHUB_DATA_DIR": str(machine_b)}
    qihub(env_a, "migrate", "--noinput")
    qihub(env_a, "shell", "-c", CREATE_USER.format(password=PASSWORD), timeout=120)
    subprocess.run(
        [sys.executable, "-c", f"import redis; redis.from_url({redis_url!r}).flushdb()"],
        check=True,
        timeout=600,
    )

    bases, processes = start_pair([env_a, env_b])
    try:
        prove_shared_state(*bases)
    finally:
        stop(processes)
    assert Path(machine_a / "secret_key").exists() is False  # the key came from the environment


@pytest.mark.req("OPS-3")
def test_two_embedded_processes_on_one_sqlite_file_share_sessions_uploads_and_rate_limits(
    tmp_path,
):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(QIHUB_DATA_DIR=str(tmp_path), QIHUB_RATE_SEARCH="3/d")
    qihub(env, "migrate", "--noinput")
    qihub(env, "shell", "-c", CREATE_USER.format(password=PASSWORD), timeout=120)

    bases, processes = start_pair([env, env])
    try:
        prove_shared_state(*bases)
    finally:
        stop(processes)
