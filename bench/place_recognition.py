"""Benchmark: recognising the place in a free-text request (`qihub.core.regions.find_in_text`).

    python bench/place_recognition.py            # 2,000 calls on a 200-character request

The figure is the cost per call next to a baseline measured in the same run: cutting the same
text into words with jieba (`jieba.lcut`, the default tokenizer the recognition runs on). The
recognition itself was measured at 0.5 ms for 200 characters on 2026-11-28; the ratio is what
stays comparable on a shared, noisy machine. No database is needed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEXT = ("我司生产 PE 给水管，需要按 GB/T 6111 做静液压强度检测，另有压力表要检定。" * 6)[
    :194
] + "常州本地企业"


def timed(call: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
    import django

    django.setup()
    import jieba

    from qihub.core import regions

    assert regions.find_in_text(TEXT) == ("320400", "常州")  # warm-up: dictionaries loaded
    jieba.lcut(TEXT)
    found = timed(lambda: regions.find_in_text(TEXT), args.runs)
    base = timed(lambda: jieba.lcut(TEXT), args.runs)
    p50, p95 = statistics.median(found), statistics.quantiles(found, n=20)[18]
    b50 = statistics.median(base)
    print(f"find_in_text, {len(TEXT)} characters, {args.runs} calls")
    print(f"  p50 {p50 * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms")
    print(f"  baseline jieba.lcut p50 {b50 * 1000:.2f} ms; ratio p50 {p50 / b50:.2f}x")


if __name__ == "__main__":
    main()
