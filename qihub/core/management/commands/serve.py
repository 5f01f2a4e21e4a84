"""`qihub serve`: threaded WSGI server in embedded mode, gunicorn with --workers N in scale mode."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qihub.core import background


class Command(BaseCommand):
    help = "启动平台 Web 服务（默认内嵌模式；--workers N 使用 gunicorn 多进程）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("QIHUB_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("QIHUB_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="gunicorn 工作进程数；0 表示内嵌模式（单进程多线程）",
        )
        parser.add_argument("--threads", type=int, default=8, help="每个进程的线程数")
        parser.add_argument(
            "--no-background",
            action="store_true",
            help="内嵌模式下不在本进程中处理后台任务（另行运行 qihub worker）",
        )

    def handle(self, *args: object, **options: object) -> None:
        host, port = options["host"], options["port"]
        workers, threads = options["workers"], options["threads"]
        if not 0 < port < 65536:
            raise CommandError(f"--port：端口号 {port} 无效，应在 1–65535 之间")
        if workers < 0 or threads < 1:
            raise CommandError("--workers 不能为负数，--threads 至少为 1")
        if workers:
            self._gunicorn(host, port, workers, threads)
        if not (options["no_background"] or background.uses_redis()):
            background.start_embedded_consumer()
            self.stdout.write("后台任务：已在本进程内启动（SQLite 队列）")
        self._embedded(host, port, threads)

    def _embedded(self, host: str, port: int, threads: int) -> None:
        from waitress import serve

        from qihub.wsgi import application

        mode = (
            "SQLite"
            if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
            else "PostgreSQL"
        )
        self.stdout.write(f"qihub 内嵌模式（{mode}）已启动：http://{host}:{port}/  按 Ctrl+C 停止")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="qihub")

    def _gunicorn(self, host: str, port: int, workers: int, threads: int) -> None:
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "qihub.wsgi:application",
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
        self.stdout.write(f"qihub 扩展模式：gunicorn {workers} 个进程，http://{host}:{port}/")
        self.stdout.flush()
        # Replace this process so that signals from a supervisor reach gunicorn directly.
        os.execv(sys.executable, argv)  # noqa: S606
