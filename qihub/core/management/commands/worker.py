"""`qihub worker`: a background-queue consumer process (scale mode, with REDIS_URL set)."""

from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey


class Command(RunHuey):
    help = "启动后台任务处理进程（扩展模式需设置 REDIS_URL，可在多台机器上运行多个）"
