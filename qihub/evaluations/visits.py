"""Return visits across every kind of service (EVAL-2): the due list and the feedback archive.

Scheduling and recording go through `workflow` (RETURN_VISIT_FLOW); the due dates are clocks
(`return_visit`), so reminders and escalation come from the clock engine.
"""

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from qihub.accounts.models import User
from qihub.accounts.roles import is_handler
from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.queries import describe
from qihub.evaluations.models import ReturnVisit, ReturnVisitStatus, ServiceKind
from qihub.workcal.services import load_calendar

RETURN_VISIT_CLOCK = "return_visit"
RELATED = (
    "order__client",
    "consultation__asker",
    "entrustment__client",
    "scheduled_by",
    "done_by",
)


def visits_for(user: User) -> QuerySet[ReturnVisit]:
    """Every return visit is the platform's and its stations' work: staff see them all."""
    if not user.is_authenticated or not is_handler(user):
        return ReturnVisit.objects.none()
    return ReturnVisit.objects.select_related(*RELATED)


def due(user: User) -> QuerySet[ReturnVisit]:
    """Visits still to make (the workbench card counts these)."""
    return visits_for(user).filter(status=ReturnVisitStatus.SCHEDULED)


def done(user: User) -> QuerySet[ReturnVisit]:
    return visits_for(user).filter(status=ReturnVisitStatus.DONE).order_by("-done_at", "-id")


def due_rows(visits: QuerySet[ReturnVisit], now: dt.datetime) -> list[dict[str, Any]]:
    """Each visit with its clock's reading: overdue first, then the soonest planned."""
    found = {str(v.pk): v for v in visits}
    clocks = {
        c.object_id: c
        for c in Clock.objects.filter(
            code=RETURN_VISIT_CLOCK,
            content_type=ContentType.objects.get_for_model(ReturnVisit),
            object_id__in=list(found),
        ).exclude(state=ClockState.STOPPED)
    }
    calendar = load_calendar()
    rows = []
    for key, visit in found.items():
        reading = describe(clocks.get(key), now, calendar)
        rows.append({"visit": visit, "overdue": reading.get("overdue", False), **reading})
    rows.sort(key=lambda r: (not r["overdue"], r["visit"].scheduled_for, r["visit"].pk))
    return rows


def _by_kind(queryset: QuerySet[ReturnVisit], name: str, value: str) -> QuerySet[ReturnVisit]:
    if not value:
        return queryset
    return queryset.filter(**{f"{value}__isnull": False})


class VisitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="服务类型",
        choices=ServiceKind.choices,
        empty_label="全部服务",
        method=_by_kind,
        error_messages={"invalid_choice": "服务类型：请从可选项中选择"},
    )
    number = django_filters.CharFilter(label="服务编号", method="by_number")

    class Meta:
        model = ReturnVisit
        fields = ["kind", "number"]

    def by_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(order__number__icontains=value)
            | Q(consultation__number__icontains=value)
            | Q(entrustment__number__icontains=value)
        )


class ArchiveFilter(VisitFilter):
    satisfied = django_filters.ChoiceFilter(
        label="客户满意",
        choices=[("true", "满意"), ("false", "不满意"), ("unknown", "未表态")],
        empty_label="全部",
        method="by_satisfied",
        error_messages={"invalid_choice": "客户满意：请从可选项中选择"},
    )
    problems = django_filters.ChoiceFilter(
        label="反映问题",
        choices=[("yes", "有问题反映"), ("no", "无问题反映")],
        empty_label="全部",
        method="by_problems",
        error_messages={"invalid_choice": "反映问题：请从可选项中选择"},
    )
    since = django_filters.DateFilter(
        label="回访日期自",
        field_name="done_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "回访日期自：应为日期"},
    )
    until = django_filters.DateFilter(
        label="回访日期至",
        field_name="done_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "回访日期至：应为日期"},
    )

    class Meta:
        model = ReturnVisit
        fields = ["kind", "number", "satisfied", "problems", "since", "until"]

    def by_satisfied(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "unknown":
            return queryset.filter(satisfied__isnull=True)
        return queryset.filter(satisfied=(value == "true")) if value else queryset

    def by_problems(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.exclude(problems="")
        return queryset.filter(problems="") if value == "no" else queryset


def satisfied_label(value: bool | None) -> str:
    return "未表态" if value is None else ("满意" if value else "不满意")


EXPORT_HEADERS = (
    "服务类型",
    "服务编号",
    "客户",
    "计划回访日期",
    "回访时间",
    "回访人",
    "回访方式",
    "回访结果",
    "客户满意",
    "客户反映的问题",
)


def export_rows(visits: QuerySet[ReturnVisit]) -> list[list[object]]:
    return [
        [
            v.service_kind_label,
            v.service_number,
            v.client.shown_name,
            v.scheduled_for,
            v.done_at,
            v.done_by.shown_name if v.done_by else "",
            v.method,
            v.result,
            satisfied_label(v.satisfied),
            v.problems,
        ]
        for v in visits
    ]
