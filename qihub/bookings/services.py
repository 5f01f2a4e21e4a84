"""Finding the resource behind a station or an institution (ORD-3)."""

from qihub.accounts.models import Organisation, Station
from qihub.bookings.models import Resource, ResourceKind


def station_window(station: Station) -> Resource:
    """A station's window is bookable in its own opening periods with the default policy; the
    resource row is made the first time anybody asks for it."""
    resource, _ = Resource.objects.get_or_create(
        station=station,
        defaults={"kind": ResourceKind.STATION, "name": f"{station.name}服务窗口"},
    )
    return resource


def institution_service(organisation: Organisation) -> Resource | None:
    """An institution's appointment service exists once it has weekly hours."""
    resource = Resource.objects.filter(
        organisation=organisation, kind=ResourceKind.INSTITUTION
    ).first()
    return resource if resource is not None and resource.hours.exists() else None
