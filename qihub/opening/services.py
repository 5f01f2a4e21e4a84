"""Making and keeping a lab's booking resource (INS-2): a lab is a `bookings.Resource` of kind
实验室 owned by the lab's institution, so booking, the no-double-booking guarantee, the staff's
day view and the policy page all carry over (ADR 0013)."""

import datetime as dt

from django.db import transaction

from qihub.accounts.models import Organisation
from qihub.bookings.models import Resource, ResourceKind, WeeklyHour
from qihub.opening.models import Laboratory

# A new lab opens on working days, morning and afternoon, rented by the hour; the owner changes
# all of it on the policy page.
DEFAULT_HOURS = ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17, 30)))
LAB_POLICY = {
    "slot_minutes": 60,
    "min_slots": 1,
    "max_slots": 4,
    "horizon_days": 30,
    "max_future": 5,
    "per_day": 1,
}


@transaction.atomic
def create_lab(organisation: Organisation, lab: Laboratory) -> Laboratory:
    """Save a new lab (from its form, not yet saved) with its resource and default hours."""
    resource = Resource.objects.create(
        kind=ResourceKind.LAB, name=lab.name, organisation=organisation, **LAB_POLICY
    )
    WeeklyHour.objects.bulk_create(
        WeeklyHour(resource=resource, weekday=day, opens=opens, closes=closes)
        for day in range(5)
        for opens, closes in DEFAULT_HOURS
    )
    lab.resource = resource
    lab.organisation = organisation
    lab.save()
    return lab


@transaction.atomic
def save_lab(lab: Laboratory) -> Laboratory:
    """Save an edited lab; the booking pages show the resource's name, so it follows."""
    lab.save()
    Resource.objects.filter(pk=lab.resource_id).update(name=lab.name)
    return lab
