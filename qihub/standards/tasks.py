from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qihub.standards.workflow import implement_due, run_load_job


@db_task()
def load_standards(job_id: int) -> None:
    run_load_job(job_id)


@db_periodic_task(crontab(hour="0", minute="10"))
def implement_due_daily() -> None:
    implement_due()
