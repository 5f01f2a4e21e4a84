"""`qihub demo-totp USERNAME`: the current TOTP code of a demo staff account (demo data only)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from qihub.core.demo import current_totp


class Command(BaseCommand):
    help = "显示演示工作人员账户当前的动态口令（仅限演示数据）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, **options: object) -> None:
        try:
            self.stdout.write(current_totp(str(options["username"])))
        except TOTPDevice.DoesNotExist:
            raise CommandError(
                "只有演示工作人员账户（demo_operator、demo_supervisor、demo_admin）可以查看",
                returncode=2,
            ) from None
