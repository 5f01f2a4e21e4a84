from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.institutions.workflow import sweep_qualifications


@db_periodic_task(crontab(hour="6", minute="0"))
def sweep_qualifications_daily() -> None:
    sweep_qualifications()
