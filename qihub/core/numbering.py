"""Serial numbers without races: the counter row is locked for the rest of the caller's
transaction (PostgreSQL row lock; SQLite serialises writers with IMMEDIATE transactions)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F

from qihub.core.models import Counter

TZ = ZoneInfo("Asia/Shanghai")  # the year in the number is the local one


def next_number(prefix: str, at: dt.datetime | None = None, width: int = 6) -> str:
    year = (at or dt.datetime.now(TZ)).astimezone(TZ).year
    key = f"{prefix}-{year}"
    # Inside the writer's transaction no savepoint of its own: the one failure it continues
    # from (a concurrent first number of the year) has the inner block's savepoint.
    with transaction.atomic(savepoint=False):
        if not Counter.objects.filter(key=key).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    Counter.objects.create(key=key, value=1)
            except IntegrityError:  # created by a concurrent caller in between
                Counter.objects.filter(key=key).update(value=F("value") + 1)
        value = Counter.objects.get(key=key).value
    return f"{key}-{value:0{width}d}"
