from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from qihub.accounts import hashers, legal, second_factor, tokens
from qihub.accounts.forms import LoginForm
from qihub.accounts.navigation import WORKBENCH_LABELS
from qihub.accounts.roles import CLIENTS
from qihub.accounts.tables import DeviceTable
from qihub.accounts.workbench import cards_for
from qihub.core.lists import make_list


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    role = request.user.role
    return render(
        request,
        "accounts/workbench.html",
        {
            "title": WORKBENCH_LABELS[role],
            "cards": cards_for(request.user),
            "may_complain": role in CLIENTS,
        },
    )


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    """设备管理 (OPS-3): the user's app and mini-program log-ins."""
    table = make_list(request, DeviceTable, tokens.devices_of(request.user))
    return render(request, "accounts/devices.html", {"table": table})


@login_required
@require_POST
def revoke_device(request: HttpRequest, device_id: int) -> HttpResponse:
    if tokens.revoke(request.user, device_id):
        messages.success(request, "已注销该设备，它须重新登录")
    else:
        messages.error(request, "没有该登录设备，或已注销")
    return redirect("accounts:devices")


SECOND_FACTOR_PENDING = "second_factor_pending"


def second_factor_owner(view: Callable) -> Callable:
    """Any signed-in user manages their own authenticators: staff must keep one, clients may
    add one to sign online (DEM-11)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _second_factor_page(
    request: HttpRequest,
    *,
    errors: dict[str, list[str]] | None = None,
    form: str = "",
    form_device: int | None = None,
    new: second_factor.NewSecret | None = None,
) -> HttpResponse:
    user = request.user
    pending = second_factor.pending_device(user)
    return render(
        request,
        "accounts/second_factor.html",
        {
            "devices": second_factor.confirmed_devices(user),
            "pending": pending,
            "pending_here": pending is not None
            and request.session.get(SECOND_FACTOR_PENDING) == pending.pk,
            "pending_minutes": second_factor.PENDING_MINUTES,
            "errors": errors or {},
            "form": form,
            "form_device": form_device,
            "new": new,
            "data": request.POST if request.method == "POST" else {},
            "first": second_factor.may_start_without_code(user),
        },
    )


@second_factor_owner
def second_factor_page(request: HttpRequest) -> HttpResponse:
    """动态口令验证器 (ACC-9): the owner's authenticators; secrets are never shown here."""
    return _second_factor_page(request)


@second_factor_owner
@require_POST
def second_factor_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    name = (request.POST.get("name") or "").strip()[:64]
    try:
        second_factor.check_identity(
            request,
            user,
            request.POST.get("password", ""),
            request.POST.get("code", ""),
            first=True,
        )
    except ValidationError as exc:
        return _second_factor_page(request, errors=exc.message_dict, form="add")
    new = second_factor.start(user, actor=user, name=name)
    request.session[SECOND_FACTOR_PENDING] = new.device.pk
    # The secret is in this answer only: a reload or a second visit shows the page without it.
    return _second_factor_page(request, new=new)


@second_factor_owner
@require_POST
def second_factor_confirm(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = second_factor.pending_device(user)
    if device is None or request.session.get(SECOND_FACTOR_PENDING) != device.pk:
        messages.error(request, "没有待确认的验证器，或已超过有效时间，请重新添加")
        return redirect("accounts:second_factor")
    remove_old = request.POST.get("remove_old") == "on"
    try:
        second_factor.confirm(
            user, device, request.POST.get("code", ""), actor=user, remove_old=remove_old
        )
    except ValidationError as exc:
        return _second_factor_page(request, errors=exc.message_dict, form="confirm")
    request.session.pop(SECOND_FACTOR_PENDING, None)
    # The session now rests on the authenticator just proved (the old one may be gone).
    otp_login(request, device)
    messages.success(
        request,
        "新验证器已确认，原验证器已移除" if remove_old else "新验证器已确认，可用于登录",
    )
    return redirect("accounts:second_factor")


@second_factor_owner
@require_POST
def second_factor_remove(request: HttpRequest, device_id: int) -> HttpResponse:
    user = request.user
    device = TOTPDevice.objects.filter(user=user, pk=device_id).first()
    if device is None:
        messages.error(request, "没有该验证器，或已移除")
        return redirect("accounts:second_factor")
    try:
        second_factor.refuse_last(user, device)
        used = second_factor.check_identity(
            request, user, request.POST.get("password", ""), request.POST.get("code", "")
        )
        # A client may remove their only authenticator with its own code; staff keep another.
        if used is not None and used.pk == device.pk and user.needs_second_factor:
            raise ValidationError(
                {"code": "当前动态口令：请输入保留的验证器中的动态口令，而不是要移除的这一个"}
            )
        second_factor.remove(user, device, actor=user)
    except ValidationError as exc:
        return _second_factor_page(
            request, errors=exc.message_dict, form="remove", form_device=device.pk
        )
    if used is not None and used.pk != device.pk:
        otp_login(request, used)
    messages.success(request, f"已移除验证器“{device.name}”")
    return redirect("accounts:second_factor")


def agreement(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/agreement.html", {"version": legal.VERSION})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html", {"version": legal.VERSION})


@require_GET
def organisations(request: HttpRequest) -> JsonResponse:
    """The organisation picker's suggestions (accounts/org_field.py): `?kind=institution&q=bhdn`
    → [{"name", "place"}]. Listed institutions are public (the search page shows them);
    enterprises, and institutions out of the listing, only to staff, who enter things for
    others, and to the experts who record diagnosis visits at enterprises (ENT-7). The USCC is
    not sent back: the box holds the name the user picks."""
    from qihub.accounts.models import MemberKind
    from qihub.accounts.org_field import suggest
    from qihub.accounts.roles import ALL_STAFF, DIAGNOSERS
    from qihub.core import regions

    staff = request.user.is_authenticated and request.user.role in ALL_STAFF | DIAGNOSERS
    kinds = [k for k in request.GET.get("kind", "").split(",") if k in MemberKind.values]
    if not staff:
        kinds = [k for k in kinds if k == MemberKind.INSTITUTION]
    found = suggest(request.GET.get("q", ""), kinds, listed_only=not staff) if kinds else []
    return JsonResponse(
        [{"name": o.name, "place": regions.full_name(o.region) if o.region else ""} for o in found],
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )


_login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    redirect_authenticated_user=True,
    authentication_form=LoginForm,
)


def login(request: HttpRequest) -> HttpResponse:
    """The log-in page; a POST beyond the waiting bound gets 503 at once (issue 23)."""
    if request.method != "POST":
        return _login_view(request)
    with hashers.login_slot() as admitted:
        if not admitted:
            response = render(request, "busy.html", status=503)
            response["Retry-After"] = "5"
            return response
        return _login_view(request)
