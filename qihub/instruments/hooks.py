"""Instruments as a kind of the one booking mechanism (ADR 0013)."""

from django.urls import reverse

from qihub.bookings import slots, workflow
from qihub.bookings.models import Purpose, Resource, ResourceKind


def _page(resource: Resource) -> str:
    return reverse("instruments:detail", args=[resource.instrument.pk])


def _close(booking: object, **kwargs: object) -> None:
    from qihub.instruments.services import close

    close(booking, **kwargs)  # type: ignore[arg-type]


def _check(resource: Resource, user: object, purpose: str) -> None:
    from qihub.instruments.services import check_booking

    check_booking(resource, user, purpose)  # type: ignore[arg-type]


def register() -> None:
    kind = ResourceKind.INSTRUMENT
    slots.PURPOSES[kind] = (Purpose.TEST, Purpose.OPERATE)
    slots.CHECKS[kind] = _check
    slots.PAGES[kind] = _page
    slots.PANELS[kind] = "instruments/_booking_panel.html"
    workflow.CLOSERS[kind] = _close
