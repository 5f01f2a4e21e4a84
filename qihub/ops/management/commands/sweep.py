"""`qihub sweep`: one pass of reminders and overdue escalation (the periodic task runs the same)."""

from django.core.management.base import BaseCommand

from qihub.deadlines.workflow import sweep
from qihub.institutions.workflow import sweep_qualifications
from qihub.notifications.outbox import deliver_pending


class Command(BaseCommand):
    help = "检查服务时限：到期提醒、超时上报，并发送待发通知"

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--no-deliver", action="store_true", help="只标记，不发送通知")

    def handle(self, *args: object, **options: object) -> None:
        result = sweep()
        self.stdout.write(f"提醒 {result.reminded} 项，超时上报 {result.overdue} 项")
        expiry = sweep_qualifications()
        self.stdout.write(
            f"资质到期预警 {expiry.warned} 项，隐藏资质全部到期的机构 {expiry.hidden} 家"
        )
        if not options["no_deliver"]:
            delivered = deliver_pending()
            self.stdout.write(f"发送通知 {delivered.sent} 条，失败 {delivered.failed} 条")
