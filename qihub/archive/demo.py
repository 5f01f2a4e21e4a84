"""Demo data for the quality archive (ARC-1, ARC-3): the demo operator is the operator head; the
demo station's staff member holds a granted request to read the demo enterprise's archive and
has read it once, so the enterprise's 访问记录 is not empty."""

import datetime as dt

from django.contrib.auth.models import Permission

from qihub.accounts.models import User
from qihub.archive import workflow
from qihub.archive.access import log_read
from qihub.archive.models import AccessGrant, ReadKind


def furnish() -> None:
    head = User.objects.filter(username="demo_operator").first()
    staff = User.objects.filter(username="demo_station").first()
    firm = User.objects.filter(username="demo_enterprise").first()
    if head is None or staff is None or firm is None or AccessGrant.objects.exists():
        return
    head.user_permissions.add(Permission.objects.get(codename="decide_access"))
    head = User.objects.get(pk=head.pk)  # permissions are cached on the object
    today = workflow.today()
    grant = workflow.request_access(
        by=staff,
        enterprise=firm.organisation,
        reason="【演示】核实企业计量器具送检情况，准备上门服务",
        period_from=today,
        period_to=today + dt.timedelta(days=30),
    )
    grant = workflow.decide(grant, by=head, action="grant", note="同意，限本次服务使用")
    log_read(staff, firm.organisation, grant, ReadKind.PAGE)
