"""The load test stays runnable: a tiny realistic run of bench/load.py on embedded mode."""

import importlib.util
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[3]


def test_the_query_count_header_is_there_only_for_the_bench(db, client):
    """bench/load.py reads X-Qihub-Queries; the normal stack neither counts nor sends it."""
    assert "X-Qihub-Queries" not in client.get("/")
    counting = ["qihub.core.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=counting):
        # A new client: the fixture's handler built its middleware chain on the first request.
        cached_home = Client().get("/")
        # The service directory reads the catalogue on every view (the home page's lists are
        # cached fragments: its second view runs none).
        directory = Client().get("/services/")
    assert cached_home.status_code == 200 and int(cached_home["X-Qihub-Queries"]) == 0
    assert directory.status_code == 200 and int(directory["X-Qihub-Queries"]) > 0


@pytest.mark.skipif(importlib.util.find_spec("locust") is None, reason="需要 locust（bench 依赖）")
def test_bench_load_runs_a_small_realistic_mix(tmp_path, embedded_data_dir):
    # Not imported here: locust monkey-patches the whole process with gevent on import.
    # The bench reuses a --workdir: its data starts as this worker's migrated, seeded copy,
    # so only the bench's own accounts are added (migrating again took minutes on CI).
    seeded, _ = embedded_data_dir(seeded=True)
    (tmp_path / "load").mkdir()
    seeded.rename(tmp_path / "load" / "data")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load.py"),
            "--mode",
            "embedded",
            "--mix",
            "realistic",
            "--users",
            "3",
            "--duration",
            "10",
            "--burst-seconds",
            "2",
            "--port",
            str(port),
            # A generous target: a smoke run on a shared CI machine checks that it works,
            # bench/README.md has the figures measured at 150 ms.
            "--p95-target",
            "2000",
            # Row B1's latency, throughput and memory checks are printed but not judged in a
            # smoke run; errors, 5xx, lost/duplicate rows, audit rows and report sizes are.
            "--smoke",
            # Row B2 in a few seconds: a crowd of 4, then 2.
            "--overload",
            "--overload-users",
            "4",
            "--overload-seconds",
            "4",
            "--recover-users",
            "2",
            "--recover-seconds",
            "4",
            "--workdir",
            str(tmp_path / "load"),
        ],
        capture_output=True,
        text=True,
        timeout=900,  # migrate + demo data + the run; CI machines are shared and slow
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )

    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-3000:]
    assert "基线" in out
    assert "混合负载" in out
    # The issued reports are B1's size (100 KB–1 MB) and still verify after download.
    checked = re.search(r"下载 (\d+) KB，上传核验有效", out)
    assert checked and 100 <= int(checked[1]) <= 1024, out[-3000:]
    # B1's mix, its checks, and the complaint creates and audited reads reconciled.
    assert "-- B1 组成" in out and "-- B1 检查" in out
    assert re.search(r"读 p95 \d+ ms", out) and re.search(r"写 p95 \d+ ms", out)
    assert re.search(r"\[通过\] 5xx 响应 0 个", out)
    complaints = re.search(r"\[通过\] 新建投诉：客户端确认 (\d+)，数据库新增 (\d+)", out)
    assert complaints and complaints[1] == complaints[2], out[-3000:]
    assert re.search(r"\[通过\] 敏感读取：已送达 \d+ 次，审计日志新增 \d+ 行", out)
    assert "议题 22 目标" in out
    # B2: only 429/503 with Retry-After, and the time to recover is reported.
    assert "-- B2 检查" in out
    assert re.search(r"\[通过\] 500 等服务端错误（503 除外）0 个", out)
    assert re.search(r"读 p95 (回到|未回到) 800 ms", out)
    assert "结果：通过" in out
