from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.guidance.reminders import remind_all


# Early morning, so the reminder is waiting when the working day starts; the outbox holds
# anything outside working hours until then.
@db_periodic_task(crontab(hour="7", minute="10"))
def remind_guidance_daily() -> None:
    remind_all(timezone.localdate())
