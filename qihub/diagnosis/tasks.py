from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.diagnosis.risks import refresh_all


# Early morning, before the stations open: risks lapse after 12 months, missed ones are flagged.
@db_periodic_task(crontab(hour="6", minute="30"))
def refresh_risks_daily() -> None:
    refresh_all()
