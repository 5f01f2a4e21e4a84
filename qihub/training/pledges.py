"""The confidentiality pledge (保密承诺书, TRN-2) and the one check other apps use before showing
enterprise records to staff.

A pledge is valid while its signer has signed the *current* version: publishing a new version
makes every earlier signature stale, so the new text must be signed before records open again.

    from qihub.training.pledges import has_valid_pledge, pledge_required, PledgeRequiredMixin

`pledge_required` (function views) and `PledgeRequiredMixin` (class views) refuse staff without a
valid pledge with a Chinese 403 that says where to sign. Enterprises and institutions reading
their own records are not staff and pass through untouched.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from qihub.accounts.models import User
from qihub.accounts.roles import is_decider, is_expert, is_staff_member
from qihub.core.workflow import Refused, WorkflowError
from qihub.training.models import PledgeSignature, PledgeVersion

REFUSAL = "查看企业档案须先签署现行版本的保密承诺书，请到“我的培训与资质”签署后再查看"


def current_pledge() -> PledgeVersion | None:
    return PledgeVersion.objects.order_by("-version").first()


def bound_by_pledge(user: Any) -> bool:
    """Who must hold a pledge to read enterprise records: staff and the experts they call in."""
    return bool(is_staff_member(user) or is_expert(user))


def has_valid_pledge(user: Any) -> bool:
    """True when the user has signed the current pledge version (none published: nobody has)."""
    if not getattr(user, "is_authenticated", False):
        return False
    current = current_pledge()
    return current is not None and current.signatures.filter(signer=user).exists()


def check_pledge(user: Any) -> None:
    """Raise the Chinese 403 for staff without a valid pledge; others pass."""
    if bound_by_pledge(user) and not has_valid_pledge(user):
        raise Refused(REFUSAL)


def pledge_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        check_pledge(request.user)
        return view(request, *args, **kwargs)

    return wrapped


class PledgeRequiredMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        check_pledge(request.user)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


@transaction.atomic
def publish(text: str, *, by: User) -> PledgeVersion:
    if not is_decider(by):
        raise Refused("只有平台运营人员可以发布保密承诺书")
    if not text.strip():
        raise WorkflowError("承诺书正文：必须填写")
    last = PledgeVersion.objects.select_for_update().order_by("-version").first()
    return PledgeVersion.objects.create(
        version=(last.version + 1) if last else 1, text=text.strip(), published_by=by
    )


@transaction.atomic
def sign(user: User) -> PledgeSignature:
    if not bound_by_pledge(user):
        raise Refused("只有工作人员和专家需要签署保密承诺书")
    current = current_pledge()
    if current is None:
        raise WorkflowError("尚未发布保密承诺书，请联系平台运营人员")
    return PledgeSignature.objects.get_or_create(pledge=current, signer=user)[0]
