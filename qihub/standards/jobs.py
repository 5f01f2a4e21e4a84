"""Running one operator load in the background queue, recording progress as it goes."""

from django.utils import timezone

from qihub.standards.loader import load_rows, read_rows
from qihub.standards.models import LoadJob


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
