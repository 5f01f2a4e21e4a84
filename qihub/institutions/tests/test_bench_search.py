"""The search benchmark stays runnable: a tiny run through the same script."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_search_runs_at_a_small_size(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "search.py"),
            "--institutions",
            "150",
            "--lines",
            "1500",
            "--queries",
            "24",
            "--naive-every",
            "6",
        ],
        capture_output=True,
        text=True,
        timeout=900,  # a smoke run, but CI machines are shared and slow
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "indexed search, second pass: p50" in result.stdout
    assert "ratio naive/indexed" in result.stdout
