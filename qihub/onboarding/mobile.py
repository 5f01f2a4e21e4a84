"""Mobile confirmation by one-time code (ACC-2), rate-limited per number and per address."""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from qihub.core import pii
from qihub.notifications.sms import SmsError, get_backend
from qihub.onboarding.models import MobileChallenge

CODE_VALID = dt.timedelta(minutes=10)
RESEND_AFTER = dt.timedelta(seconds=60)
PER_NUMBER_PER_DAY = 5
PER_ADDRESS_PER_HOUR = 20
MAX_ATTEMPTS = 5


class ChallengeRefused(Exception):
    pass


def _code_digest(mobile: str, code: str) -> str:
    return pii.digest(f"code:{mobile}:{code}")


@transaction.atomic
def send_code(mobile: str, client_ip: str | None) -> MobileChallenge:
    now = timezone.now()
    digest = pii.digest(mobile)
    recent = MobileChallenge.objects.select_for_update().filter(mobile_digest=digest)
    last = recent.order_by("-created_at").first()
    if last and now - last.created_at < RESEND_AFTER:
        wait = int((RESEND_AFTER - (now - last.created_at)).total_seconds()) + 1
        raise ChallengeRefused(f"验证码已发送，请 {wait} 秒后再试")
    if recent.filter(created_at__gte=now - dt.timedelta(days=1)).count() >= PER_NUMBER_PER_DAY:
        raise ChallengeRefused("该手机号码今天获取验证码次数过多，请明天再试")
    if (
        client_ip
        and MobileChallenge.objects.filter(
            client_ip=client_ip, created_at__gte=now - dt.timedelta(hours=1)
        ).count()
        >= PER_ADDRESS_PER_HOUR
    ):
        raise ChallengeRefused("获取验证码过于频繁，请稍后再试")
    code = f"{secrets.randbelow(10**6):06d}"
    challenge = MobileChallenge.objects.create(
        mobile_digest=digest,
        code_digest=_code_digest(mobile, code),
        client_ip=client_ip,
        created_at=now,
    )
    try:
        get_backend().send(
            mobile=mobile,
            text=f"【质量基础设施一站式服务平台】您的注册验证码是 {code}，10 分钟内有效。",
            notification_id=None,
        )
    except SmsError as exc:
        raise ChallengeRefused(f"短信发送失败，请稍后再试（{exc}）") from exc
    return challenge


def check_code(mobile: str, code: str) -> MobileChallenge:
    """The open challenge this code answers; raise ChallengeRefused with the reason otherwise."""
    now = timezone.now()
    challenge = (
        MobileChallenge.objects.filter(mobile_digest=pii.digest(mobile), consumed_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if challenge is None:
        raise ChallengeRefused("请先获取手机验证码")
    if now - challenge.created_at > CODE_VALID:
        raise ChallengeRefused("验证码已过期，请重新获取")
    if challenge.attempts >= MAX_ATTEMPTS:
        raise ChallengeRefused("验证码错误次数过多，请重新获取")
    if not secrets.compare_digest(challenge.code_digest, _code_digest(mobile, code.strip())):
        MobileChallenge.objects.filter(pk=challenge.pk).update(attempts=challenge.attempts + 1)
        raise ChallengeRefused("验证码不正确")
    return challenge


def consume(challenge: MobileChallenge) -> None:
    MobileChallenge.objects.filter(pk=challenge.pk, consumed_at__isnull=True).update(
        consumed_at=timezone.now()
    )
