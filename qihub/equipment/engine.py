"""The one schedule and warning engine of ENT-1 and ENT-2.

Due dates are calendar dates: the next due date is the done date plus the cycle in whole months
(31 January + 1 month = 28/29 February), as verification certificates state them; working days
play no part in them. Warnings are sent by the daily sweep through the notification outbox,
which holds text messages until working hours like every other reminder.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from qihub.accounts.models import Role, User
from qihub.demands.models import region_prefix
from qihub.equipment.models import (
    INSTRUMENT_LEVELS,
    SPECIAL_LEVELS,
    Certificate,
    Item,
    Schedule,
    Warning,
)
from qihub.notifications.models import Channel, Notification
from qihub.notifications.outbox import build_notifications, queue_notifications
from qihub.workcal.calendar import WorkCalendar
from qihub.workcal.services import load_calendar

# For a compulsory instrument the 15-day level says apply now (the provincial systems' rule).
APPLY_NOW_DAYS = 15


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_levels(item: Item) -> list[int]:
    return list(SPECIAL_LEVELS if item.is_special else INSTRUMENT_LEVELS)


def new_schedule(
    item: Item,
    *,
    kind: str,
    cycle_months: int,
    last_done: dt.date | None = None,
    due_on: dt.date | None = None,
    levels: list[int] | None = None,
) -> Schedule:
    """An unsaved schedule; without a due date it is last done + cycle (or today's if never)."""
    if due_on is None:
        due_on = add_months(last_done or timezone.localdate(), cycle_months)
    schedule = Schedule(
        item=item,
        kind=kind,
        cycle_months=cycle_months,
        last_done=last_done,
        due_on=due_on,
        levels=levels if levels is not None else default_levels(item),
    )
    schedule.plan_warnings()
    return schedule


def reschedule(schedule: Schedule) -> None:
    """After the due date or the levels changed: a new cycle of warnings."""
    schedule.warned_days = None
    schedule.plan_warnings()


@transaction.atomic
def close_cycle(
    schedule: Schedule,
    *,
    done_on: dt.date,
    by: User | None,
    number: str = "",
    issuer: str = "",
    conclusion: str = "",
    document: object = None,
    report: object = None,
) -> Certificate:
    """Record the certificate; the next due date is the done date plus the cycle."""
    next_due = add_months(done_on, schedule.cycle_months)
    certificate = Certificate.objects.create(
        schedule=schedule,
        done_on=done_on,
        number=number,
        issuer=issuer,
        conclusion=conclusion,
        document=document,
        report=report,
        next_due=next_due,
        recorded_by=by,
    )
    schedule.last_done = done_on
    schedule.due_on = next_due
    schedule.demand = None
    reschedule(schedule)
    schedule.save()
    return certificate


# --- the daily sweep ---------------------------------------------------------------------------


def station_staff_for(region: str) -> list[User]:
    """Station staff whose station's area covers the enterprise's region (level 3)."""
    if not region:
        return []
    rows = User.objects.filter(
        role=Role.STATION_STAFF, is_active=True, station__isnull=False
    ).exclude(station__region="")
    return [
        u
        for u in rows.select_related("station")
        if region.startswith(region_prefix(u.station.region))
    ]


def _message(schedule: Schedule, days: int, level: int, days_left: int) -> tuple[str, str]:
    item = schedule.item
    what = f"{item.name}{f'（{item.serial}）' if item.serial else ''}"
    kind = schedule.get_kind_display()
    if days_left < 0:
        when = f"已于 {schedule.due_on:%Y-%m-%d} 到期"
    elif days_left == 0:
        when = "今天到期"
    else:
        when = f"将于 {schedule.due_on:%Y-%m-%d} 到期（还有 {days_left} 天）"
    if item.is_special:
        subject = f"特种设备定期检验{['', '一级', '二级', '三级'][min(level, 3)]}预警：{what}{when}"
        body = f"{item.get_kind_display()} {what}，保管人 {item.keeper or '未填写'}，请及时申请定期检验。"
        return subject, body
    subject = f"计量器具{kind}提醒：{what}{when}"
    if item.compulsory and days == APPLY_NOW_DAYS:
        body = "本器具属强制检定计量器具，请立即申请检定。"
    else:
        body = f"请按时安排{kind}，可在计量器具台账中一键提出检定/校准需求。"
    return subject, body


def _recipients(schedule: Schedule, level: int) -> tuple[list[User], list[str]]:
    """Escalation for special equipment: 1 the keeper (the enterprise account's inbox, addressed
    to the keeper), 2 also the enterprise's head by text message (the enterprise account),
    3 also the staff of the enterprise's station. Instruments: the enterprise account."""
    owner = schedule.item.owner
    if not schedule.item.is_special:
        return [owner], [Channel.INBOX, Channel.SMS]
    if level <= 1:
        return [owner], [Channel.INBOX]
    if level == 2:
        return [owner], [Channel.INBOX, Channel.SMS]
    region = schedule.item.organisation.region if schedule.item.organisation else ""
    return [owner, *station_staff_for(region)], [Channel.INBOX, Channel.SMS]


@dataclass
class _Batch:
    """What one sweep batch writes, in three bulk statements rather than several per row."""

    calendar: WorkCalendar
    now: dt.datetime
    notifications: list[Notification] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)

    def save(self) -> None:
        queue_notifications(self.notifications)
        Warning.objects.bulk_create(self.warnings, ignore_conflicts=True)
        Schedule.objects.bulk_update(
            self.schedules, ["warned_days", "next_warn_on", "due_soon_from"]
        )


def warn(schedule: Schedule, today: dt.date, batch: _Batch) -> bool:
    """Send the most urgent level reached and not yet sent in this cycle (a missed day does not
    send a pile of stale levels); mark it so a second sweep sends nothing."""
    days_left = (schedule.due_on - today).days
    levels = schedule.sorted_levels()
    reached = [
        d
        for d in levels
        if d >= days_left and (schedule.warned_days is None or d < schedule.warned_days)
    ]
    batch.schedules.append(schedule)
    if not reached or schedule.item.out_of_service:
        schedule.warned_days = min(reached) if reached else schedule.warned_days
        schedule.plan_warnings()
        return False
    days = min(reached)
    level = levels.index(days) + 1
    recipients, channels = _recipients(schedule, level)
    subject, body = _message(schedule, days, level, days_left)
    batch.notifications += build_notifications(
        recipients,
        subject,
        body,
        channels=channels,
        dedupe_key=f"equipment-{schedule.pk}-{schedule.due_on:%Y%m%d}-{days}",
        now=batch.now,
        calendar=batch.calendar,
    )
    batch.warnings.append(
        Warning(schedule=schedule, due_on=schedule.due_on, days=days, level=level, sent_on=today)
    )
    schedule.warned_days = days
    schedule.plan_warnings()
    return True


def sweep(today: dt.date, now: dt.datetime | None = None, batch: int = 2000) -> int:
    """Warn every schedule whose next level falls due today or earlier; returns how many were
    sent. Idempotent: each level is sent once per cycle (`warned_days`, and the outbox's
    dedupe key behind it)."""
    sent = 0
    calendar = load_calendar()
    while True:
        rows = list(
            Schedule.objects.filter(next_warn_on__lte=today)
            .select_related("item", "item__organisation", "item__owner")
            .order_by("next_warn_on", "id")[:batch]
        )
        if not rows:
            return sent
        with transaction.atomic():
            work = _Batch(calendar=calendar, now=now or timezone.now())
            for schedule in rows:
                sent += warn(schedule, today, work)
            work.save()
