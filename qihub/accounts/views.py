from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qihub.accounts import tokens
from qihub.accounts.navigation import WORKBENCH_LABELS
from qihub.accounts.workbench import features_for


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    role = request.user.role
    return render(
        request,
        "accounts/workbench.html",
        {"title": WORKBENCH_LABELS[role], "features": features_for(role)},
    )


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    """设备管理 (OPS-3): the user's app and mini-program log-ins."""
    return render(request, "accounts/devices.html", {"devices": tokens.devices_of(request.user)})


@login_required
@require_POST
def revoke_device(request: HttpRequest, device_id: int) -> HttpResponse:
    if tokens.revoke(request.user, device_id):
        messages.success(request, "已注销该设备，它须重新登录")
    else:
        messages.error(request, "没有该登录设备，或已注销")
    return redirect("accounts:devices")
