import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from qihub.deadlines.models import Clock, ClockState
from qihub.onboarding.models import Application, ApplicationStatus
from qihub.workcal.calendar import TZ
from qihub.workcal.services import load_calendar


def open_clocks(applications: list[Application]) -> dict[str, Clock]:
    return {
        clock.object_id: clock
        for clock in Clock.objects.filter(
            code="account_review",
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=[str(a.pk) for a in applications],
        ).exclude(state=ClockState.STOPPED)
    }


def describe(clock: Clock | None, now: dt.datetime, calendar: object = None) -> dict:
    if clock is None:
        return {}
    calendar = calendar or load_calendar()
    if clock.overdue_at or clock.due_at < now:
        return {"due_at": clock.due_at, "overdue": True, "label": "已超时"}
    days = calendar.working_days_between(
        now.astimezone(TZ).date(), clock.due_at.astimezone(TZ).date()
    )
    label = "今日到期" if days == 0 else f"剩余 {days} 个工作日"
    return {"due_at": clock.due_at, "overdue": False, "label": label}


def time_left(application: Application) -> dict:
    return describe(open_clocks([application]).get(str(application.pk)), timezone.now())


def review_queue(now: dt.datetime) -> list[dict]:
    applications = list(
        Application.objects.filter(status=ApplicationStatus.SUBMITTED)
        .select_related("applicant", "applicant__organisation", "applicant__identity")
        .order_by("submitted_at")
    )
    clocks = open_clocks(applications)
    calendar = load_calendar()
    return [
        {"application": a, "clock": describe(clocks.get(str(a.pk)), now, calendar)}
        for a in applications
    ]
