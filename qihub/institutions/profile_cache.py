"""An institution's public profile (MATCH-3) is the same for every visitor of one kind on one day,
and was read from five tables on every view (issue 23: 7–10 ms of CPU against a 5 ms target).
The view keeps the page's body, drawn once, per institution, day (a qualification's status and
the lines it allows depend on it) and whether the visitor may order, with the institution's
generation it was drawn at; a body of an older generation is drawn again. The generation moves
when anything the body shows is saved or deleted: the institution itself, its qualifications,
scope lines, services, appointment service and its hours, and a qualification change request
(its approval writes scope lines in bulk, which sends no signal of its own)."""

import datetime as dt
import functools
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Model
from django.utils.safestring import SafeString, mark_safe

from qihub.core.generations import Generation, on_save_or_delete

GENERATION_PREFIX = "institutions:profile-generation:"
# Bulk updates send no signal (a scope line withdrawn by `update`); this bounds how long they go
# unseen.
FRAGMENT_SECONDS = 300


def _organisation_id(instance: Model) -> int | None:
    return getattr(instance, "organisation_id", None)


def _hour_organisation_id(instance: Model) -> int | None:
    resource = getattr(instance, "resource", None)
    return getattr(resource, "organisation_id", None)


# Model label → the institution a saved or deleted row belongs to. The listing workflow saves
# through the `Institution` proxy, whose signals name the proxy.
INPUTS: dict[str, Callable[[Model], int | None]] = {
    "accounts.Organisation": lambda instance: instance.pk,
    "institutions.Institution": lambda instance: instance.pk,
    "institutions.Qualification": _organisation_id,
    "institutions.ScopeLine": _organisation_id,
    "institutions.InstitutionService": _organisation_id,
    "institutions.QualificationChange": _organisation_id,
    "bookings.Resource": _organisation_id,
    "bookings.WeeklyHour": _hour_organisation_id,
}


@functools.lru_cache(maxsize=4096)
def generation(organisation_id: int) -> Generation:
    # One object per institution: a bump already waiting for the transaction's commit is found
    # by comparing bound methods, which needs the same object.
    return Generation(f"{GENERATION_PREFIX}{organisation_id}")


def fragment(
    organisation_id: int, today: dt.date, may_order: bool, draw: Callable[[], str]
) -> SafeString:
    """The profile's body for this institution, day and kind of visitor, drawn at most once per
    change of its inputs. Kept with the generation it was drawn at, so that one cache read
    (one query on embedded mode) brings both."""
    counter = generation(organisation_id)
    key = f"institutions:profile:{organisation_id}:{today.isoformat()}:{int(may_order)}"
    found = cache.get_many([counter.key, key])
    current = int(found[counter.key]) if counter.key in found else counter.current()
    kept = found.get(key)
    if isinstance(kept, tuple) and kept[0] == current:
        body = kept[1]
    else:
        body = draw()
        cache.set(key, (current, str(body)), FRAGMENT_SECONDS)
    # Markup `draw` rendered from the template, escaped there.
    return mark_safe(body)  # noqa: S308


def inputs_changed(sender: type[Model], instance: Model, **kwargs: object) -> None:
    """Bumps the generation of the institution the saved or deleted row belongs to."""
    organisation_id = INPUTS[sender._meta.label](instance)
    if organisation_id is not None:
        generation(organisation_id).bump()


def watch() -> None:
    on_save_or_delete(INPUTS, inputs_changed, "profile")
