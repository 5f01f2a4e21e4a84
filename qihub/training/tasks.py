from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.training import staff, workflow


# Morning, so the reminder and the warnings wait for people when they start work.
@db_periodic_task(crontab(hour="7", minute="10"))
def training_daily() -> None:
    today = timezone.localdate()
    workflow.remind_tomorrow(today)
    staff.warn_behind_pace(today)
    staff.warn_expiring(today)
