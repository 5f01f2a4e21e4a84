from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qihub.standards.jobs import run_load_job
from qihub.standards.loader import implement_due


@db_task()
def load_standards(job_id: int) -> None:
    run_load_job(job_id)


@db_periodic_task(crontab(hour="0", minute="10"))
def implement_due_daily() -> None:
    implement_due()
