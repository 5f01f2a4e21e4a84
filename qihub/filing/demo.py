"""Demo data for the archive (ARC-4): the retention rules, a case filed this year and one filed
long ago whose 10-year retention has run out, so 到期鉴定 has something to decide. Idempotent:
a case is filed once."""

import datetime as dt

from django.utils import timezone

from qihub.filing.models import CaseKind
from qihub.filing.services import file_case, rule_for


def furnish() -> None:
    for kind in CaseKind.values:
        rule_for(kind)
    now = timezone.now()
    file_case(
        CaseKind.CONSULTATION,
        "ZX-2014-000007",
        "【演示】压力容器定期检验周期咨询",
        dt.datetime(2014, 6, 30, 10, 0, tzinfo=dt.UTC),
    )
    file_case(
        CaseKind.DEMAND,
        f"XQ-{now.year}-900001",
        "【演示】车间压力表检定需求",
        now - dt.timedelta(days=3),
    )
