from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.improvement.services import draft_last_year


# 2 January: the year's last entries (a complaint closed on 31 December) are in by then.
@db_periodic_task(crontab(month="1", day="2", hour="6", minute="30"))
def draft_yearly_plan() -> None:
    draft_last_year(timezone.now())
