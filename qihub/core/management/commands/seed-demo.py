"""`qihub seed-demo`: load the demo accounts (see qihub/core/demo.py) and print the log-ins."""

from django.core.management.base import BaseCommand

from qihub.accounts.models import Role
from qihub.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，已有数据保持不变）"

    def handle(self, *args: object, **options: object) -> None:
        created = load_demo_data()
        kept = len(DEMO_ACCOUNTS) - created
        self.stdout.write(f"演示数据：新建 {created} 个账户，已有 {kept} 个保持不变。")
        self.stdout.write(f"演示登录（初始密码均为 {DEMO_PASSWORD}）：")
        for account in DEMO_ACCOUNTS:
            label = Role(account.role).label
            self.stdout.write(f"  {label:<12} {account.username:<18} {account.display_name}")
