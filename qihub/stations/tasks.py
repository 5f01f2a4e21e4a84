from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.stations.services import remind_due


# Early morning, so the reminder is waiting when the station opens.
@db_periodic_task(crontab(hour="7", minute="0"))
def remind_upkeep_daily() -> None:
    remind_due(timezone.localdate())
