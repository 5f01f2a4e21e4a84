import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.queries import describe
from qihub.onboarding.models import Application, ApplicationStatus
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
