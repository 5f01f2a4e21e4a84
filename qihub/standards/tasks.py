from huey.contrib.djhuey import db_task

from qihub.standards.jobs import run_load_job


@db_task()
def load_standards(job_id: int) -> None:
    run_load_job(job_id)
