"""Reminders of the guidance (ENT-4, ENT-5), written by one daily task:

- a declaration still being prepared is reminded 10 and 3 days before its window closes;
- a declared enterprise standard is reminded once it is older than its review period.

Each reminder has its own dedupe key and is sent only if no notification with that key exists,
so a rerun of the day, or of a missed day, never sends twice. A run that starts late (the task
missed the 10-day day) sends only the nearest lead, not both at once.
"""

import datetime as dt

from django.db import transaction

from qihub.guidance.models import (
    Declaration,
    DeclarationStatus,
    Declared,
    EnterpriseStandard,
)
from qihub.notifications.models import Notification
from qihub.notifications.outbox import notify

CLOSING_LEADS = (10, 3)  # days before the window's closing date


def _once(key: str) -> bool:
    return not Notification.objects.filter(dedupe_key=key).exists()


def remind_closing(today: dt.date) -> int:
    """Remind declarations in preparation whose window closes within the leads; count sent."""
    latest = today + dt.timedelta(days=max(CLOSING_LEADS))
    rows = Declaration.objects.filter(
        status=DeclarationStatus.PREPARING,
        window__closes_on__gte=today,
        window__closes_on__lte=latest,
    ).select_related("window", "enterprise")
    sent = 0
    for declaration in rows:
        left = (declaration.window.closes_on - today).days
        lead = min(lead for lead in CLOSING_LEADS if lead >= left)
        key = f"declaration-{declaration.pk}-closing-{lead}"
        with transaction.atomic():
            if not _once(key):
                continue
            window = declaration.window
            when = "今天" if left == 0 else f"{left} 天后"
            notify(
                [declaration.enterprise],
                f"申报截止提醒：“{window.title}”将于{when}截止",
                f"申报编号 {declaration.number} 仍在准备材料。截止日期 {window.closes_on:%Y-%m-%d}，"
                "请尽快按申报条件和所需材料准备并提交，提交后在平台上登记“已提交”。",
                dedupe_key=key,
            )
            sent += 1
    return sent


def remind_reviews(today: dt.date) -> int:
    """Remind each declared standard once when it passes its review date; count sent."""
    rows = EnterpriseStandard.objects.exclude(declared=Declared.NOT_DECLARED).filter(
        review_due_on__lte=today
    )
    sent = 0
    for standard in rows.select_related("owner").iterator():
        due = standard.review_due_on
        key = f"standard-{standard.pk}-review-{due:%Y%m%d}"
        with transaction.atomic():
            if not _once(key):
                continue
            notify(
                [standard.owner],
                f"企业标准复审提醒：{standard.number}已满 {standard.review_years} 年",
                f"“{standard.title}”自 {due:%Y-%m-%d} 起已到复审期。请复审标准内容，"
                "如有修订请在企业标准信息公共服务平台更新自我声明，并在平台上改登“需更新”或新的公开日期。",
                dedupe_key=key,
            )
            sent += 1
    return sent


def remind_all(today: dt.date) -> dict[str, int]:
    return {"closing": remind_closing(today), "reviews": remind_reviews(today)}
