"""The search page's CPU when its results area is not kept (a query string not seen before):
each request adds a parameter of its own, which changes the key but not the work. Compare with
`bench/pages.py`, where the same query string repeats (issue 23, search lane).

    .venv/bin/python bench/search_cold.py --reuse DIR [-n 30]
"""

import argparse
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, os.environ.get("QIHUB_CODE", str(Path(__file__).resolve().parent.parent)))

QUERIES = ["压力表", "电线电缆 导体电阻", "JJG 52-2013", "质量管理体系认证", "计量", "塑料管材"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", required=True, help="a data directory of bench/pages.py")
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    os.environ["QIHUB_DATA_DIR"] = args.reuse
    os.environ["QIHUB_BENCH_BASELINE"] = "1"
    os.environ.pop("QIHUB_DEBUG", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.QIHUB_RATES = {name: "1000000/m" for name in settings.QIHUB_RATES}

    client = Client(HTTP_HOST="localhost")
    for q in QUERIES:
        client.get("/search/?" + urllib.parse.urlencode({"q": q}))  # the dictionary is loaded
    base = []
    for _ in range(args.n):
        c0 = time.process_time()
        client.get("/bench/baseline/")
        base.append((time.process_time() - c0) * 1000)
    print(f"负载 {os.getloadavg()[0]:.1f}；基线（匿名）CPU 中位数 {statistics.median(base):.2f} ms")
    for q in QUERIES:
        cpu = []
        for i in range(args.n):
            path = "/search/?" + urllib.parse.urlencode({"q": q, "x": f"{time.time_ns()}{i}"})
            c0 = time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200
        median = statistics.median(cpu)
        print(
            f"首次搜索 {q}: CPU 中位数 {median:.2f} ms（基线的 {median / statistics.median(base):.1f} 倍）"
        )


if __name__ == "__main__":
    main()
