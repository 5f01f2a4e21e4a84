from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qihub.institutions.workflow import run_import_job, sweep_qualifications


@db_periodic_task(crontab(hour="6", minute="0"))
def sweep_qualifications_daily() -> None:
    sweep_qualifications()


@db_task()
def import_institutions(job_id: int) -> None:
    run_import_job(job_id)
