"""Server CPU per request, page by page, against the portal's floor (issue 23, item 1).

Each page is requested N times through Django's whole request stack (every middleware, context
processor and template; Django's test Client, no socket) in one process, and the bench reports
per request: CPU ms (`time.process_time`), wall ms and SQL queries, each page's CPU as a ratio
of the baseline `/bench/baseline/` (the base template, no view queries) measured in the same run,
anonymous and logged in, and as a ratio of the bare-Django row `/bench/bare/` (a few bytes, no
template, no queries of its own, through the same middleware stack and URL resolution).
DEBUG is off; the template loader is Django's cached one.

    .venv/bin/python bench/pages.py                  # temporary data dir: migrate, seed-demo, volume
    .venv/bin/python bench/pages.py --reuse DIR      # a data dir from an earlier run (prints it)
    .venv/bin/python bench/pages.py -n 200 --only 首页,统计
    .venv/bin/python bench/pages.py --profile 工作台  # cProfile of one page's requests
    .venv/bin/python bench/pages.py --demands 300 --only 我的需求,需求队列  # a long open queue

Targets: public pages ≤ 5 ms CPU, logged-in lists ≤ 8 ms (bench/README.md).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VOLUME_ORDERS = 30
VOLUME_DEMANDS = 30
PUBLIC_TARGET_MS = 5.0
LIST_TARGET_MS = 8.0


def _setup(data_dir: str | None) -> tuple[str, bool]:
    fresh = data_dir is None
    data_dir = data_dir or tempfile.mkdtemp(prefix="qihub-pages-")
    os.environ["QIHUB_DATA_DIR"] = data_dir
    os.environ["QIHUB_BENCH_BASELINE"] = "1"
    os.environ.pop("QIHUB_DEBUG", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
    import django

    django.setup()
    return data_dir, fresh


def _load(fresh: bool, demands: int = VOLUME_DEMANDS) -> None:
    from django.core.management import call_command

    from qihub.accounts.models import User

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not fresh and User.objects.filter(username="demo_enterprise").exists():
        return
    call_command("seed-demo", verbosity=0)
    _volume(demands)
    print(f"数据准备 {time.perf_counter() - t:.0f} s", file=sys.stderr)


def _volume(demands: int) -> None:
    """Lists of a realistic length for the enterprise (its orders and demands pages); `demands`
    open demands, all in the operator's queue too."""
    from qihub.accounts.models import User
    from qihub.core import testing
    from qihub.institutions.models import Organisation

    firm = User.objects.get(username="demo_enterprise")
    lab = Organisation.objects.get(account__username="demo_institution")
    for i in range(VOLUME_ORDERS):
        testing.order(firm, institution_org=lab, description=f"压力表 {i + 1} 块")
    for i in range(demands):
        testing.demand(firm, title=f"压力表检定 第 {i + 1} 批", clocks=True)


def _client(username: str | None):  # -> Client
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    if username is None:
        return client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from qihub.accounts.models import User

    user = User.objects.get(username=username)
    client.force_login(user)
    if user.needs_second_factor:
        # Staff sessions carry a verified second factor, as after a real log-in (ACC-9).
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="基准", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _pages() -> list[tuple[str, str, str | None, str]]:
    """(label, kind, user, path): kind is 裸, 基线, 公开 or 登录."""
    from qihub.catalog.models import ServiceItem
    from qihub.institutions.models import Organisation
    from qihub.orders.models import Order

    guide = ServiceItem.objects.order_by("pk").first()
    lab = Organisation.objects.get(account__username="demo_institution")
    order = Order.objects.filter(client__username="demo_enterprise").order_by("pk").first()
    firm, lab_user, operator = "demo_enterprise", "demo_institution", "demo_operator"
    pages = [
        ("裸视图（匿名）", "裸", None, "/bench/bare/"),
        ("基线（匿名）", "基线", None, "/bench/baseline/"),
        ("首页", "公开", None, "/"),
        ("搜索 压力表", "公开", None, "/search/?q=压力表"),
        ("搜索 电线电缆 导体电阻", "公开", None, "/search/?q=电线电缆+导体电阻"),
        ("搜索 JJG 52-2013", "公开", None, "/search/?q=JJG+52-2013"),
        ("服务目录", "公开", None, "/services/"),
        ("办事指南", "公开", None, f"/services/{guide.code}/" if guide else "/services/"),
        ("机构主页", "公开", None, f"/institutions/{lab.uscc}/"),
        ("统计", "公开", None, "/statistics/"),
        ("统计图 按时办结", "公开", None, "/statistics/chart/on-time.svg"),
        ("统计图 指标", "公开", None, "/statistics/chart/indicators.svg"),
        ("统计图 季度", "公开", None, "/statistics/chart/quarters.svg"),
        ("信息公开", "公开", None, "/info/"),
        ("裸视图（企业）", "裸", firm, "/bench/bare/"),
        ("基线（企业）", "基线", firm, "/bench/baseline/"),
        ("工作台（企业）", "登录", firm, "/accounts/workbench/"),
        ("我的需求", "登录", firm, "/demands/"),
        ("我的订单", "登录", firm, "/orders/"),
        ("订单详情", "登录", firm, f"/orders/{order.number}/" if order else "/orders/"),
        ("工作台（机构）", "登录", lab_user, "/accounts/workbench/"),
        ("机构订单", "登录", lab_user, "/institution/orders/"),
        ("基线（运营）", "基线", operator, "/bench/baseline/"),
        ("工作台（运营）", "登录", operator, "/accounts/workbench/"),
        ("需求队列", "登录", operator, "/ops/demands/"),
        ("订单队列", "登录", operator, "/ops/orders/"),
    ]
    return pages


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params: object, many: bool, context: dict):
        self.count += 1
        return execute(sql, params, many, context)


def _measure(client, path: str, n: int, warmup: int) -> dict:
    from django.db import connection

    for _ in range(warmup):
        response = client.get(path)
    status = response.status_code
    size = len(response.content)
    cpu, wall, queries = [], [], []
    for _ in range(n):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(path)
            c1, w1 = time.process_time(), time.perf_counter()
        cpu.append((c1 - c0) * 1000)
        wall.append((w1 - w0) * 1000)
        queries.append(counter.count)
        status = response.status_code
    return {
        "status": status,
        "bytes": size,
        "cpu": statistics.median(cpu),
        "cpu_mean": statistics.fmean(cpu),
        "wall": statistics.median(wall),
        "queries": max(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="requests per page (default 100)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--reuse", help="a data directory from an earlier run")
    parser.add_argument(
        "--only", help="comma-separated labels (the bare rows and the baselines always run)"
    )
    parser.add_argument("--profile", help="label of one page: print its cProfile figures")
    parser.add_argument(
        "--demands",
        type=int,
        default=VOLUME_DEMANDS,
        help=f"open demands of the enterprise in fresh data (default {VOLUME_DEMANDS})",
    )
    args = parser.parse_args()

    data_dir, fresh = _setup(args.reuse)
    print(f"数据目录 {data_dir}", file=sys.stderr)
    _load(fresh, args.demands)

    from django.conf import settings

    loaders = settings.TEMPLATES[0]["OPTIONS"].get("loaders")
    from django.template import engines

    engine = engines["django"].engine
    print(
        f"DEBUG={settings.DEBUG} 模板加载器={[type(x).__module__ for x in engine.template_loaders]}"
        f" (settings loaders={loaders})",
        file=sys.stderr,
    )
    assert not settings.DEBUG, "the bench measures production-like settings: unset QIHUB_DEBUG"
    # One client sends thousands of searches a minute: the limiter still runs (its cost is part
    # of the page's), but with limits no visitor reaches, so every answer is the page itself.
    settings.QIHUB_RATES = {name: "1000000/m" for name in settings.QIHUB_RATES}

    pages = _pages()
    if args.profile:
        _profile(pages, args.profile, args.n)
        return
    wanted = set(args.only.split(",")) if args.only else None
    clients: dict[str | None, object] = {}
    results: list[tuple[str, str, str | None, dict]] = []
    baselines: dict[str | None, float] = {}
    bare: dict[str | None, float] = {}
    for label, kind, user, path in pages:
        if wanted and kind not in ("裸", "基线") and label not in wanted:
            continue
        if user not in clients:
            clients[user] = _client(user)
        figures = _measure(clients[user], path, args.n, args.warmup)
        if kind == "基线":
            baselines[user] = figures["cpu"]
        elif kind == "裸":
            bare[user] = figures["cpu"]
        results.append((label, kind, user, figures))

    import subprocess

    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"\n{args.n} 次请求/页，中位数；机器负载：{load}")
    print(
        f"{'页面':<22}{'状态':>5}{'CPU ms':>9}{'平均':>8}{'墙钟 ms':>9}{'查询':>6}{'KB':>7}"
        f"{'对基线':>8}{'对裸视图':>8}{'目标':>6}"
    )
    for label, kind, user, f in results:
        base = baselines.get(user) or baselines.get(None) or 1.0
        floor = bare.get(user) or bare.get(None) or 1.0
        target = {"公开": PUBLIC_TARGET_MS, "登录": LIST_TARGET_MS}.get(kind)
        verdict = "" if target is None else ("达标" if f["cpu"] <= target else "超标")
        print(
            f"{label:<22}{f['status']:>6}{f['cpu']:>10.2f}{f['cpu_mean']:>9.2f}{f['wall']:>10.2f}"
            f"{f['queries']:>7}{f['bytes'] / 1024:>8.1f}{f['cpu'] / base:>9.1f}×"
            f"{f['cpu'] / floor:>9.1f}×{verdict:>6}"
        )


def _profile(pages: list, label: str, n: int) -> None:
    """The page's hottest calls under the standard library's cProfile. (pyinstrument, used
    before, is not in the project's environment, and on 2026-12-01 version 5.1.3 at a 0.2 ms
    interval grew past 20 GB within seconds on this stack and was killed.)"""
    import cProfile
    import pstats

    match = [p for p in pages if p[0] == label]
    if not match:
        sys.exit(f"没有该页面：{label}；可选：{'、'.join(p[0] for p in pages)}")
    _, _, user, path = match[0]
    client = _client(user)
    for _ in range(5):
        client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
