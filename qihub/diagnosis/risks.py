"""The enterprise's test results summarised, and recurring failures flagged as risks (ENT-7).

Results come from the lines an institution records when it issues a report (`orders.ReportLine`:
product, parameter, passed). A parameter of a product that failed twice or more within the last
12 months is a risk; it is told once to the enterprise and to the staff of the station whose area
covers the enterprise, however often the check runs.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from qihub.accounts.models import Organisation, Role, User
from qihub.demands.models import region_prefix
from qihub.diagnosis.models import Risk, twelve_months_before
from qihub.notifications.outbox import notify
from qihub.orders.models import ReportLine
from qihub.workcal.calendar import local_date

RECURRING = 2  # failures within 12 months that make a risk


@dataclass(frozen=True)
class QuarterRow:
    product: str
    parameter: str
    quarter: str  # “2026年第3季度”
    passed: int
    failed: int
    risk: bool


def lines_of(enterprise: Organisation) -> QuerySet:
    return ReportLine.objects.filter(report__order__client_organisation=enterprise)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def summary(enterprise: Organisation) -> list[QuarterRow]:
    """Pass and fail counts per product, parameter and quarter, newest quarter first."""
    counts: dict[tuple[str, str, tuple[int, int]], list[int]] = defaultdict(lambda: [0, 0])
    for product, parameter, passed, issued in lines_of(enterprise).values_list(
        "product", "parameter", "passed", "report__issued_at"
    ):
        counts[(product, parameter, quarter_of(local_date(issued)))][0 if passed else 1] += 1
    risky = set(
        Risk.objects.filter(enterprise=enterprise, active=True).values_list("product", "parameter")
    )
    keys = sorted(counts, key=lambda k: (k[0], k[1], (-k[2][0], -k[2][1])))
    return [
        QuarterRow(
            product,
            parameter,
            f"{year}年第{quarter}季度",
            counts[(product, parameter, (year, quarter))][0],
            counts[(product, parameter, (year, quarter))][1],
            (product, parameter) in risky,
        )
        for product, parameter, (year, quarter) in keys
    ]


def refresh_risks(enterprise: Organisation, *, now: dt.datetime | None = None) -> list[Risk]:
    """Bring the enterprise's risks up to date; returns the risks that are new (just told)."""
    now = now or timezone.now()
    today = local_date(now)
    since = twelve_months_before(today)
    failures: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for product, parameter, issued in (
        lines_of(enterprise)
        .filter(passed=False)
        .values_list("product", "parameter", "report__issued_at")
    ):
        day = local_date(issued)
        if since < day <= today:
            failures[(product, parameter)].append(day)
    new: list[Risk] = []
    with transaction.atomic():
        current = {
            (r.product, r.parameter): r
            for r in Risk.objects.select_for_update().filter(enterprise=enterprise)
        }
        for key, days in failures.items():
            if len(days) < RECURRING:
                continue
            risk = current.pop(key, None)
            fields = {"failures": len(days), "last_failed_on": max(days)}
            if risk is None:
                risk = Risk.objects.create(
                    enterprise=enterprise,
                    product=key[0],
                    parameter=key[1],
                    flagged_at=now,
                    **fields,
                )
                new.append(risk)
            elif not risk.active:  # it lapsed and came back: a new risk again
                Risk.objects.filter(pk=risk.pk).update(active=True, flagged_at=now, **fields)
                risk.refresh_from_db()
                new.append(risk)
            else:
                Risk.objects.filter(pk=risk.pk).update(**fields)
        # What remains failed fewer than twice in the last 12 months.
        Risk.objects.filter(pk__in=[r.pk for r in current.values()]).update(active=False)
        for risk in new:
            _tell(risk)
    return new


def _tell(risk: Risk) -> None:
    enterprise = risk.enterprise
    # The key names the risk and the moment it was flagged: a rerun tells nobody twice.
    key = f"quality-risk:{risk.pk}:{risk.flagged_at:%Y%m%d%H%M%S}"
    notify(
        [enterprise.account, *station_staff_for(enterprise)],
        f"质量风险提示：{risk.product}的{risk.parameter}重复不合格",
        f"{enterprise.name}的{risk.product}“{risk.parameter}”近 12 个月内 {risk.failures} 次检测不合格，"
        "建议尽快查找原因，可申请质量诊断。",
        dedupe_key=key,
    )


def station_staff_for(enterprise: Organisation) -> list[User]:
    """Active staff of every station whose area covers the enterprise's region."""
    if not enterprise.region:
        return []
    staff = User.objects.filter(
        role=Role.STATION_STAFF, is_active=True, station__isnull=False
    ).select_related("station")
    return [
        u
        for u in staff
        if u.station.region and enterprise.region.startswith(region_prefix(u.station.region))
    ]


def risks_visible_to(user: User) -> QuerySet:
    """Active risks: an enterprise its own, station staff those of their area, staff all."""
    from qihub.accounts.roles import BACK_OFFICE, DIAGNOSERS

    risks = Risk.objects.filter(active=True).select_related("enterprise")
    if not getattr(user, "is_authenticated", False):
        return risks.none()
    if user.role == Role.STATION_STAFF:
        station = user.station
        if station is None or not station.region:
            return risks.none()
        return risks.filter(enterprise__region__startswith=region_prefix(station.region))
    if user.role in BACK_OFFICE | DIAGNOSERS:
        return risks
    return risks.filter(Q(enterprise__account=user))


def refresh_all(now: dt.datetime | None = None) -> int:
    """The daily pass: risks lapse after 12 months, and any missed risk is flagged."""
    count = 0
    enterprises = Organisation.objects.filter(
        pk__in=ReportLine.objects.values("report__order__client_organisation")
    )
    for enterprise in enterprises:
        count += len(refresh_risks(enterprise, now=now))
    return count
