"""Demo data: a believable, clearly marked (演示数据) set of accounts for every role.

Idempotent: existing accounts are kept as they are (their passwords too); missing ones are
created through the same manager call the admin's "add user" uses.
"""

import base64
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def ensure_demo_totp(user: User) -> TOTPDevice:
    """Staff log in with a TOTP code (ACC-9); demo staff get a device whose secret is printed."""
    device = TOTPDevice.objects.filter(user=user, name="演示验证器").first()
    return device or TOTPDevice.objects.create(user=user, name="演示验证器", confirmed=True)


def current_totp(username: str) -> str:
    """The code a demo staff member's authenticator would show now (demo accounts only)."""
    device = TOTPDevice.objects.get(user__username=username, user__is_demo=True, name="演示验证器")
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def totp_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


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
        user = User.objects.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            display_name=account.display_name,
            # .invalid never resolves: demo mail can only land in the platform's own outbox.
            email=f"{account.username}@demo.invalid",
            is_demo=True,
            is_superuser=account.role == Role.ADMIN,
            verified_at=timezone.now(),
        )
        if user.is_staff:
            ensure_demo_totp(user)
    return len(DEMO_ACCOUNTS) - len(existing)
