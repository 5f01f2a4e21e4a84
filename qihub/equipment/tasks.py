from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.equipment.engine import sweep


# Early morning; the outbox holds text messages until working hours, the inbox shows them at once.
@db_periodic_task(crontab(hour="6", minute="30"))
def warn_equipment_daily() -> None:
    sweep(timezone.localdate())
