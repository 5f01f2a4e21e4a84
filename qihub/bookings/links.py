"""What a booking may be linked to (ORD-3): the booker's own orders and demands with the
institution or station behind the resource. Nobody links a booking to someone else's record."""

from django.db.models import Q, QuerySet

from qihub.accounts.models import User
from qihub.bookings.models import Resource
from qihub.demands.models import OPEN_STATUSES, Demand, region_prefix
from qihub.orders.models import Order


def orders_for(user: User, resource: Resource) -> QuerySet[Order]:
    """The user's own orders with the resource's institution (a station takes no orders)."""
    if resource.organisation_id is None:
        return Order.objects.none()
    return Order.objects.filter(client=user, institution_id=resource.organisation_id).order_by(
        "-id"
    )


def demands_for(user: User, resource: Resource) -> QuerySet[Demand]:
    """The user's own open demands that concern the resource: recommended to its institution,
    or, for a station's window, taken in by that station or in its area."""
    own = Demand.objects.filter(client=user, status__in=OPEN_STATUSES)
    if resource.organisation_id is not None:
        concern = Q(recommendation__items__organisation_id=resource.organisation_id) | Q(
            orders__institution_id=resource.organisation_id
        )
    elif resource.station_id is not None:
        station = resource.station
        concern = Q(entered_by__station=station) | Q(visit__station_staff__station=station)
        if station.region:
            concern |= Q(region__startswith=region_prefix(station.region))
    else:
        return Demand.objects.none()
    return own.filter(concern).distinct().order_by("-id")


def choices(user: User, resource: Resource) -> list[tuple[str, str]]:
    """The picker's options: `order:<number>` / `demand:<number>` with the record's words."""
    out = [
        (f"order:{o.number}", f"订单 {o.number} {o.service.name}")
        for o in orders_for(user, resource).select_related("service")[:50]
    ]
    out += [
        (f"demand:{d.number}", f"需求 {d.number} {d.title}")
        for d in demands_for(user, resource)[:50]
    ]
    return out


def resolve(user: User, resource: Resource, value: str) -> Order | Demand | None:
    """The record a posted `order:<number>` / `demand:<number>` names, if it is the user's own
    and concerns the resource; None otherwise."""
    kind, _, number = value.partition(":")
    if kind == "order":
        return orders_for(user, resource).filter(number=number).first()
    if kind == "demand":
        return demands_for(user, resource).filter(number=number).first()
    return None
