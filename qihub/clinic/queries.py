"""The clinic's row sets: the workbench cards and the list pages read the same ones."""

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from qihub.clinic.models import OPEN_STATUSES, Consultation, ConsultationStatus, Expert
from qihub.deadlines.models import Clock, ClockState

# An open question is "about to lapse" within this of its answer clock's due time.
DUE_SOON = dt.timedelta(hours=24)


def _clock_due_before(limit: dt.datetime) -> Exists:
    return Exists(
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Consultation),
            object_id=Cast(OuterRef("pk"), CharField()),
            code="clinic_answer",
            state=ClockState.RUNNING,
            due_at__lt=limit,
        )
    )


def shown(rows: QuerySet, show: str) -> QuerySet:
    if show == "waiting":
        return rows.filter(status__in=OPEN_STATUSES)
    if show == "due_soon":
        return rows.filter(status=ConsultationStatus.ROUTED).filter(
            _clock_due_before(timezone.now() + DUE_SOON)
        )
    if show == "answered":
        return rows.filter(answered_at__isnull=False)
    return rows


def expert_waiting(user: Any) -> QuerySet:
    return Consultation.objects.filter(expert__user=user, status__in=OPEN_STATUSES)


def expert_due_soon(user: Any) -> QuerySet:
    return shown(Consultation.objects.filter(expert__user=user), "due_soon")


def expert_answered(user: Any) -> QuerySet:
    return Consultation.objects.filter(expert__user=user, answered_at__isnull=False)


def my_open(user: Any) -> QuerySet:
    """The asker's questions that wait for them: a follow-up to answer or an answer to rate."""
    return Consultation.objects.filter(asker=user).filter(
        Q(status=ConsultationStatus.ASKED_BACK)
        | Q(status=ConsultationStatus.ANSWERED, rating__isnull=True)
    )


def unrouted(user: Any) -> QuerySet:
    return Consultation.objects.filter(status=ConsultationStatus.WAITING)


def pool() -> QuerySet:
    """Every expert with the pool's figures: open, answered, on-time rate, average rating."""
    return (
        Expert.objects.select_related("organisation")
        .annotate(
            open_count=Count("consultations", filter=Q(consultations__status__in=OPEN_STATUSES)),
            answers=Count("consultations", filter=Q(consultations__answered_at__isnull=False)),
            on_time=Count("consultations", filter=Q(consultations__on_time=True)),
            average_rating=Avg("consultations__rating"),
        )
        .order_by("id")
    )


def with_rates(experts: QuerySet) -> list[Expert]:
    rows = list(experts)
    for e in rows:
        e.on_time_rate = (e.on_time / e.answers) if e.answers else None  # type: ignore[attr-defined]
    return rows
