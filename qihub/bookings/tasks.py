from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.bookings.reminders import remind_tomorrow


# Mid-morning on every day: within working hours when the reminder is written; the outbox holds
# a weekend's or holiday's reminders until the next working hours.
@db_periodic_task(crontab(hour="10", minute="0"))
def remind_bookings_daily() -> None:
    remind_tomorrow()
