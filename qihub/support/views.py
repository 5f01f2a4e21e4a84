"""Technical support pages (OPS-1): the request form every page links to, the user's and the
staff's lists, a request's page, and the read-only view of what the submitter sees."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import HANDLERS, is_handler
from qihub.accounts.uploads import open_stored, stored_exists
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.deadlines.queries import clocks_of
from qihub.ops.errors import LAST_ERROR_COOKIE, last_error_number
from qihub.support import forms, workflow
from qihub.support.actions import ACTIONS
from qihub.support.models import SupportStatus
from qihub.support.seeing import seen_as
from qihub.support.tables import SupportTable


def new(request: HttpRequest) -> HttpResponse:
    user = request.user
    visitor = not user.is_authenticated
    initial = {
        "page": forms.local_page(request.GET.get("page", "")),
        "error_number": forms.error_number(
            # The 500 page leaves the number in a cookie (no database needed): ops.errors.
            request.GET.get("error", "") or last_error_number(request)
        ),
    }
    if not visitor:
        initial["contact_name"] = user.party_name
        initial["contact_phone"] = getattr(user, "mobile", "") or ""
    form = forms.SupportForm(
        request.POST or None, request.FILES or None, initial=initial, visitor=visitor
    )
    if request.method == "POST":
        made: list = []

        def act(data: dict) -> None:
            made.append(workflow.submit(by=user, data=data, screenshot=data.get("screenshot")))

        if run_action(request, form, act, "技术支持请求已提交，平台将在 1 个工作日内答复"):
            response: HttpResponse
            if visitor:
                response = render(request, "support/done.html", {"found": made[0]})
            else:
                response = redirect("support:detail", made[0].number)
            # The number is now on a request: do not offer it again with the next one.
            response.delete_cookie(LAST_ERROR_COOKIE)
            return response
    return render(
        request,
        "support/new.html",
        {
            "form": form,
            "role_label": user.get_role_display() if not visitor else "访客",
            "page": form["page"].value() or "",
            "error_number": form["error_number"].value() or "",
        },
    )


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    rows = workflow.visible_requests(request.user)
    staff = is_handler(request.user)
    show = request.GET.get("show", "")
    if staff and show != "all":
        rows = rows.filter(status=SupportStatus.SUBMITTED).order_by("created_at")
    table = make_list(
        request, SupportTable, rows, empty_action=("提交技术支持请求", reverse("support:new"))
    )
    title = "技术支持工单" if staff else "我的技术支持"
    return render(
        request,
        "support/list.html",
        {"table": table, "staff": staff, "show": show, "title": title},
    )


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    found = workflow.visible_requests(request.user).filter(number=number).first()
    if found is None:
        raise Http404
    return render(
        request,
        "support/detail.html",
        {
            "found": found,
            "can": ACTIONS.buttons(request.user, found),
            "clocks": clocks_of(found, timezone.now()),
            "events": found.events.select_related("by__organisation"),
            "staff": is_handler(request.user),
            "answer_form": forms.AnswerForm(),
            "info_form": forms.InfoForm(),
        },
    )


@login_required
def screenshot(request: HttpRequest, number: str, pk: int) -> FileResponse:
    found = workflow.visible_requests(request.user).filter(number=number).first()
    shot = found.screenshots.filter(pk=pk).first() if found else None
    if shot is None or not stored_exists(shot.stored_name):
        raise Http404
    return FileResponse(
        open_stored(shot.stored_name),
        content_type=shot.content_type,
        filename=f"问题截图-{found.number}{_suffix(shot.content_type)}",
    )


def _suffix(content_type: str) -> str:
    return {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf"}.get(
        content_type, ""
    )


@role_required(*HANDLERS)
def view_as(request: HttpRequest, number: str) -> HttpResponse:
    found = workflow.visible_requests(request.user).filter(number=number).first()
    if found is None or found.submitter is None:
        raise Http404
    return render(
        request,
        "support/view_as.html",
        {
            "found": found,
            "seen": seen_as(found.submitter, by=request.user, case=found),
            "detail_url": reverse("support:detail", args=[found.number]),
        },
    )
