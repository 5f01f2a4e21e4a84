"""What the yearly task does, callable (and testable) without the task queue."""

import datetime as dt

from qihub.improvement import workflow
from qihub.improvement.models import ImprovementPlan
from qihub.workcal.calendar import local_date


def draft_last_year(now: dt.datetime) -> ImprovementPlan | None:
    """Draft the previous year's plan unless someone drafted it on demand already."""
    year = local_date(now).year - 1
    if ImprovementPlan.objects.filter(year=year).exists():
        return None
    return workflow.draft(year, by=None, at=now)
