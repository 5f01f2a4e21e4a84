from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.support.workflow import close_stale


# At night, when nobody is reading an answer that is about to be closed.
@db_periodic_task(crontab(hour="2", minute="20"))
def close_stale_daily() -> None:
    close_stale()
