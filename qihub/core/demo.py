"""Demo data: a believable, clearly marked (演示数据) set of accounts for every role.

Idempotent: existing accounts are kept as they are (their passwords too); missing ones are
created through the same manager call the admin's "add user" uses.
"""

from dataclasses import dataclass

from django.db import transaction

from qihub.accounts.models import Role, User

DEMO_PASSWORD = "Demo@2026qihub"  # noqa: S105 - printed to the operator on purpose


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str


DEMO_ACCOUNTS = [
    DemoAccount("demo_individual", Role.INDIVIDUAL, "【演示】张晓明"),
    DemoAccount("demo_enterprise", Role.ENTERPRISE, "【演示】江南精密机械有限公司"),
    DemoAccount("demo_enterprise2", Role.ENTERPRISE, "【演示】太湖生物医药科技有限公司"),
    DemoAccount("demo_institution", Role.INSTITUTION, "【演示】江南计量检测研究院"),
    DemoAccount("demo_institution2", Role.INSTITUTION, "【演示】滨湖质量认证中心"),
    DemoAccount("demo_expert", Role.EXPERT, "【演示】李工（计量专家）"),
    DemoAccount("demo_station", Role.STATION_STAFF, "【演示】高新区服务站 王敏"),
    DemoAccount("demo_operator", Role.OPERATOR, "【演示】平台运营中心"),
    DemoAccount("demo_supervisor", Role.SUPERVISOR, "【演示】市场监督管理局质量发展处"),
    DemoAccount("demo_admin", Role.ADMIN, "【演示】系统管理员"),
]


@transaction.atomic
def load_demo_data() -> int:
    """Create the missing demo accounts; return how many were created."""
    existing = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    for account in DEMO_ACCOUNTS:
        if account.username in existing:
            continue
        User.objects.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            display_name=account.display_name,
            # .invalid never resolves: demo mail can only land in the platform's own outbox.
            email=f"{account.username}@demo.invalid",
            is_demo=True,
            is_superuser=account.role == Role.ADMIN,
        )
    return len(DEMO_ACCOUNTS) - len(existing)
