"""The public follow page of a caller without an account (issue 15, ADR 0012): the link texted
on entry opens the record's number, status, time limits and steps, read-only and without any
personal data. The token is the only key; a wrong one is 404, and the page is rate-limited per
address like the other anonymous pages."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_ratelimit.decorators import ratelimit

from qihub.accounts import callers
from qihub.accounts.client_ip import ip_key, rate
from qihub.deadlines.queries import clocks_of

# The caller's record by its reverse relation (the apps above accounts are not imported):
# (relation, what it is, its detail page).
RECORDS = (("demand", "服务需求", "demands:detail"), ("complaint", "投诉", "complaints:detail"))


def _record(caller: Any) -> tuple[Any, str, str]:
    for relation, what, detail in RECORDS:
        try:
            return getattr(caller, relation), what, detail
        except ObjectDoesNotExist:
            continue
    raise Http404


@ratelimit(key=ip_key, rate=rate("follow"), method=ratelimit.ALL, block=True)
def follow(request: HttpRequest, token: str) -> HttpResponse:
    caller = callers.by_token(token)
    if caller is None:
        raise Http404
    record, what, detail = _record(caller)
    # Steps by the label of the move only: notes may name staff or carry the handling's text.
    steps = [{"at": e.at, "label": e.kind_label} for e in record.events.all()]
    claimable = callers.is_record_caller(request.user, record)
    return render(
        request,
        "accounts/follow.html",
        {
            "what": what,
            "number": record.number,
            "status": record.get_status_display(),
            "clocks": clocks_of(record, timezone.now()),
            "steps": steps,
            # A complaint's outcome is the answer owed to the caller.
            "outcome": getattr(record, "outcome", ""),
            "claim_url": reverse(detail, args=[record.number]) if claimable else "",
            "claimed": caller.claimed_at is not None,
        },
    )
