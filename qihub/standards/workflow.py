"""Running one operator load in the background queue, recording progress as it goes: the only
code that writes a load job's status (as `institutions.workflow` is for its import jobs), and
the daily move of 即将实施 standards to 现行 (a load copies statuses from the portal's file)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qihub.standards.loader import _change_text, _tell_watchers, load_rows, read_rows
from qihub.standards.models import LoadJob, Standard, Status


def run_load_job(job_id: int) -> None:
    Status = LoadJob.Status
    if not LoadJob.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.RUNNING):
        return  # already taken by another worker
    job = LoadJob.objects.get(pk=job_id)

    def finish(status: str, **fields: object) -> None:
        LoadJob.objects.filter(pk=job_id).update(
            status=status, finished_at=timezone.now(), data=b"", **fields
        )

    rows, error = read_rows(bytes(job.data), job.filename)
    if error:
        finish(Status.FAILED, errors=[error])
        return
    LoadJob.objects.filter(pk=job_id).update(total=len(rows))

    def progress(done: int) -> None:
        LoadJob.objects.filter(pk=job_id).update(done=done)

    try:
        report = load_rows(rows, demo=job.demo, progress=progress)
    except Exception as exc:  # rows saved before it stay; loading the same file again upserts
        finish(Status.FAILED, errors=[f"导入中断（{exc.__class__.__name__}），可重新导入同一文件"])
        raise
    finish(
        Status.DONE,
        done=report.total,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        errors=report.errors,
        changes=report.changes,
    )


def implement_due(today: dt.date | None = None) -> int:
    """即将实施 standards whose 实施日期 has come are 现行 from that day, without waiting for the
    next file; their watchers are told as for a load. Returns how many moved."""
    today = today or timezone.localdate()
    moved = 0
    due = Standard.objects.filter(status=Status.UPCOMING, effective_on__lte=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            standard = Standard.objects.select_for_update().get(pk=pk)
            if standard.status != Status.UPCOMING:
                continue  # a load got there first
            standard.status = Status.CURRENT
            standard.save()
            moved += 1
            detail = _change_text(Status.UPCOMING, Status.CURRENT, "")
            _tell_watchers(standard, f"{detail}（{standard.effective_on:%Y-%m-%d} 起实施）")
    return moved
