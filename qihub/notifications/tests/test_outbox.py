import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from qihub.notifications.models import DeliveredMessage, Notification
from qihub.notifications.outbox import deliver_pending, notify
from qihub.workcal.calendar import TZ


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


# (created at, urgent, earliest send) — one commented row each.
QUIET_HOURS = [
    # A working-day afternoon: straight away.
    ("2026-11-20 15:00", False, "2026-11-20 15:00"),
    # Friday 21:00: held until Monday 08:00.
    ("2026-11-20 21:00", False, "2026-11-23 08:00"),
    # Monday 06:30: held until 08:00 the same morning.
    ("2026-11-23 06:30", False, "2026-11-23 08:00"),
    # Day before National Day at 20:00: held over the holiday until Oct 8.
    ("2026-09-30 20:00", False, "2026-10-08 08:00"),
    # Saturday night 2026-10-09 (Fri) 22:00 → make-up Saturday Oct 10 is a working day.
    ("2026-10-09 22:00", False, "2026-10-10 08:00"),
    # Urgent: sent at once, whatever the hour.
    ("2026-11-21 23:00", True, "2026-11-21 23:00"),
]


@pytest.mark.parametrize(("created", "urgent", "expected"), QUIET_HOURS)
def test_nothing_is_sent_outside_working_hours_unless_urgent(enterprise, created, urgent, expected):
    (inbox, email) = notify(
        [enterprise], "测试", channels=["inbox", "email"], urgent=urgent, now=at(created)
    )

    assert email.send_after == at(expected)
    assert inbox.sent_at == at(created)  # the in-site inbox shows it at once


def test_delivery_sends_each_due_email_once_and_retries_failures(enterprise, individual):
    enterprise.email = "qa@example.com"
    enterprise.save()
    individual.email = ""
    individual.save()
    notify(
        [enterprise, individual],
        "需求已响应",
        "您的需求已有机构响应。",
        channels=["email"],
        now=at("2026-11-20 10:00"),
    )

    first = deliver_pending(now=at("2026-11-20 10:01"))
    second = deliver_pending(now=at("2026-11-20 10:02"))

    assert (first.sent, first.failed) == (1, 1)
    assert (second.sent, second.failed) == (0, 0)  # the failure waits for its back-off
    sent = DeliveredMessage.objects.get()
    assert sent.address == "qa@example.com" and sent.subject == "需求已响应"
    failed = Notification.objects.get(recipient=individual)
    assert failed.sent_at is None and failed.attempts == 1 and "电子邮箱" in failed.last_error
    assert failed.send_after > at("2026-11-20 10:02")


def test_sweep_command_delivers_what_is_due(enterprise):
    enterprise.email = "qa@example.com"
    enterprise.save()
    notify([enterprise], "到期提醒", channels=["email"], now=at("2026-11-20 10:00"))

    with time_machine.travel(at("2026-11-20 10:05"), tick=False):
        out = io.StringIO()
        call_command("sweep", stdout=out)

    assert "发送通知 1 条" in out.getvalue()
    assert DeliveredMessage.objects.count() == 1


def test_inbox_shows_unread_count_and_marks_read(client_as, enterprise, other_enterprise):
    notify([enterprise], "您的注册申请已通过", "欢迎使用平台。")
    notify([other_enterprise], "别人的消息")
    client = client_as(enterprise)

    home = client.get("/").content.decode()
    page = client.get("/inbox/").content.decode()
    client.post("/inbox/read/")

    assert 'data-testid="unread-count">1<' in home
    assert "您的注册申请已通过" in page and "别人的消息" not in page
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
