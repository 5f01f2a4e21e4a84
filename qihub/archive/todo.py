"""The archive's workbench counts (ARC-1, ARC-3)."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from qihub.accounts.models import User
from qihub.accounts.todo import Todo


def recent_reads(user: User) -> QuerySet:
    """Reads of the enterprise's archive by staff in the last 30 days."""
    from qihub.archive.models import ArchiveRead

    since = timezone.now() - dt.timedelta(days=30)
    return ArchiveRead.objects.filter(enterprise__account=user, at__gte=since)


def grants_to_handle(user: User) -> QuerySet:
    """For the head, the requests waiting for a decision; for others, their requests still
    waiting."""
    from qihub.archive.models import AccessStatus
    from qihub.archive.workflow import visible_grants

    return visible_grants(user).filter(status=AccessStatus.REQUESTED)


MY_ARCHIVE_READS = Todo(recent_reads, waiting_label="近30天被查阅")
ARCHIVE_GRANTS = Todo(grants_to_handle, waiting_label="待审批")
