"""`qihub serve`: gunicorn with one process per core (embedded SQLite mode and scale mode alike),
or one threaded waitress process with --workers 0."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qihub.core import background


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Command(BaseCommand):
    help = "启动平台 Web 服务（默认每个处理器核心一个进程；--workers 0 为单进程）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("QIHUB_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("QIHUB_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("QIHUB_WORKERS", "0") or 0) or usable_cores(),
            help="gunicorn 工作进程数，默认等于处理器核心数；0 表示单进程多线程（waitress）",
        )
        parser.add_argument("--threads", type=int, default=8, help="每个进程的线程数")
        parser.add_argument(
            "--no-background",
            action="store_true",
            help="不在 Web 进程中处理后台任务（另行运行 qihub worker）",
        )

    def handle(self, *args: object, **options: object) -> None:
        host, port = options["host"], options["port"]
        workers, threads = options["workers"], options["threads"]
        if not 0 < port < 65536:
            raise CommandError(f"--port：端口号 {port} 无效，应在 1–65535 之间")
        if workers < 0 or threads < 1:
            raise CommandError("--workers 不能为负数，--threads 至少为 1")
        # Without Redis the queue is SQLite in the data directory: the web processes consume it
        # themselves, exactly one at a time (background.consume_when_elected).
        consume = not (options["no_background"] or background.uses_redis())
        engine = (
            "SQLite"
            if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
            else "PostgreSQL"
        )
        mode = "内嵌模式" if engine == "SQLite" else "扩展模式"
        if workers:
            self._gunicorn(host, port, workers, threads, consume, f"{mode}（{engine}）")
        if consume:
            background.consume_when_elected()
            self.stdout.write("后台任务：在本进程内处理（SQLite 队列）")
        self._waitress(host, port, threads, f"{mode}（{engine}）")

    def _waitress(self, host: str, port: int, threads: int, mode: str) -> None:
        from waitress import serve

        from qihub.wsgi import application

        self.stdout.write(f"qihub {mode}，单进程已启动：http://{host}:{port}/  按 Ctrl+C 停止")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="qihub")

    def _gunicorn(
        self, host: str, port: int, workers: int, threads: int, consume: bool, mode: str
    ) -> None:
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "qihub.wsgi:application",
            "--config",
            "python:qihub.core.gunicorn_conf",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("QIHUB_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.environ["QIHUB_SERVE_CONSUMER"] = "1" if consume else "0"
        if consume:
            self.stdout.write("后台任务：由其中一个 Web 进程处理（SQLite 队列）")
        self.stdout.write(
            f"qihub {mode}：gunicorn {workers} 个进程 × {threads} 个线程，"
            f"http://{host}:{port}/  按 Ctrl+C 停止"
        )
        self.stdout.flush()
        # Replace this process so that signals from a supervisor reach gunicorn directly.
        os.execv(sys.executable, argv)  # noqa: S606
