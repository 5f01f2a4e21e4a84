from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.accounts.uploads import sweep_held


@db_periodic_task(crontab(hour="3", minute="30"))
def sweep_held_uploads_daily() -> None:
    sweep_held()
