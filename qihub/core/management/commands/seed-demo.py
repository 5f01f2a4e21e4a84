"""`qihub seed-demo`: load the demo accounts (see qihub/core/demo.py) and print the log-ins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from qihub.accounts.models import Role
from qihub.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data, totp_secret


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，已有数据保持不变）"

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            # Demo accounts have a printed password and printed TOTP secrets.
            raise CommandError("生产模式（QIHUB_PRODUCTION=1）下不能载入演示数据")
        created = load_demo_data()
        kept = len(DEMO_ACCOUNTS) - created
        self.stdout.write(f"演示数据：新建 {created} 个账户，已有 {kept} 个保持不变。")
        self.stdout.write(f"演示登录（初始密码均为 {DEMO_PASSWORD}）：")
        for account in DEMO_ACCOUNTS:
            label = Role(account.role).label
            self.stdout.write(f"  {label:<12} {account.username:<18} {account.display_name}")
        self.stdout.write(
            "工作人员登录还需动态口令：把下列密钥加入验证器应用，或运行 qihub demo-totp 用户名 查看当前口令："
        )
        for device in TOTPDevice.objects.filter(
            name="演示验证器", user__is_demo=True
        ).select_related("user"):
            self.stdout.write(f"  {device.user.username:<18} {totp_secret(device)}")
