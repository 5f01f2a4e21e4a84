"""`qihub serve` in both modes, as real processes answering real HTTP."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(port: int, process: subprocess.Popen, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:  # noqa: S310
                return {**json.load(resp), "http_status": resp.status}
        except OSError:
            time.sleep(0.3)
    raise AssertionError("server did not answer /healthz in time")


@pytest.mark.parametrize(
    ("extra_args", "banner"),
    [
        ([], "内嵌模式（SQLite）：gunicorn"),
        (["--workers", "0"], "单进程"),
        (["--workers", "2"], "gunicorn 2 个进程"),
    ],
    ids=["embedded-every-core", "single-process", "scale-gunicorn"],
)
def test_serve_answers_health_checks_in_both_modes(tmp_path, embedded_data_dir, extra_args, banner):
    port = free_port()
    if os.environ.get("DATABASE_URL") and extra_args[:2] == ["--workers", "2"]:
        # Scale mode on the PostgreSQL pass runs on the shared database (only this case
        # migrates it, so two workers never migrate it at the same time).
        env = {**os.environ, "QIHUB_DATA_DIR": str(tmp_path)}
        subprocess.run(
            [sys.executable, "-m", "qihub", "migrate", "--noinput"],
            env=env,
            check=True,
            capture_output=True,
            timeout=900,
        )
    else:
        _, env = embedded_data_dir()
    process = subprocess.Popen(
        [sys.executable, "-m", "qihub", "serve", "--port", str(port), *extra_args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        report = wait_for_health(port, process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)

    assert report["http_status"] == 200
    assert report["database"]["status"] == "ok"
    assert banner in output
    # Without Redis the web processes consume the SQLite queue, exactly one of them (flock).
    assert output.count("后台任务：本进程开始处理队列") == 1


def test_serve_rejects_a_bad_port_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "qihub", "serve", "--port", "70000"],
        env={**os.environ, "QIHUB_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,  # Django's start-up alone took over 60 s on a machine at load 20
    )

    assert result.returncode != 0
    assert "--port" in result.stderr and "无效" in result.stderr
