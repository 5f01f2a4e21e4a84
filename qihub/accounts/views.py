from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
