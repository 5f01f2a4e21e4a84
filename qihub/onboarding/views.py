from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from qihub.accounts import legal
from qihub.accounts.client_ip import client_ip, ip_key, rate
from qihub.accounts.identifiers import InvalidIdentifier, validate_mobile
from qihub.accounts.models import Document, MemberKind, Organisation, User
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE, DECIDERS, ORGANISATIONS, is_back_office
from qihub.accounts.uploads import HeldFiles, StorageFull, open_stored
from qihub.catalog.models import Category
from qihub.core import audit, pii
from qihub.core.actions import run_action
from qihub.core.exports import XLSX
from qihub.core.lists import make_list
from qihub.core.workflow import WorkflowError
from qihub.institutions import scope_excel
from qihub.institutions.forms import editor_rows
from qihub.institutions.models import Verb
from qihub.onboarding import blanks, workflow
from qihub.onboarding.actions import ACTIONS
from qihub.onboarding.forms import (
    FORMS,
    ApproveForm,
    ChangeReportForm,
    DecideChangeForm,
    RejectForm,
    ResubmitForm,
    ReturnForm,
)
from qihub.onboarding.mobile import ChallengeRefused, send_code
from qihub.onboarding.models import Application, ChangeReport
from qihub.onboarding.queries import review_queue, time_left
from qihub.onboarding.tables import ReviewQueueTable


def choose_kind(request: HttpRequest) -> HttpResponse:
    return render(request, "onboarding/choose.html", {"kinds": MemberKind.choices})


@ratelimit(key=ip_key, rate=rate("registration"), method="POST", block=True)
def register(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FORMS:
        raise Http404
    held = _held(request, kind)
    form = FORMS[kind](request.POST or None, request.FILES or None, held=held.names())
    if request.method == "POST" and form.is_valid():
        try:
            application = workflow.register(form, held=held, ip=client_ip(request))
        except StorageFull as exc:
            exc.show_on(form)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            login(
                request, application.applicant, backend="django.contrib.auth.backends.ModelBackend"
            )
            messages.success(request, "注册申请已提交，平台将在 3 个工作日内告知审核结果")
            return redirect("onboarding:status")
    if request.method == "POST":
        # Refused for some field: keep every file that passed its own checks, so it need not
        # be chosen again (browsers never refill a file input).
        held.keep_valid(form)
        form.held = held.names()
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": f"{MemberKind(kind).label}注册",
        "kind": kind,
        "categories": Category.choices,
        "verbs": Verb.choices,
        "rows": editor_rows(form) if kind == MemberKind.INSTITUTION else [],
        "legal_version": legal.VERSION,
    }
    return render(request, "onboarding/register.html", context, status=status)


def _held(request: HttpRequest, kind: str) -> HeldFiles:
    return HeldFiles(request.session, f"register-{kind}")


@require_POST
def remove_held(request: HttpRequest, kind: str, field: str) -> HttpResponse:
    """移除 a file held for this session's registration form; other sessions' files are out of
    reach (only this session knows their tokens)."""
    if kind not in FORMS:
        raise Http404
    _held(request, kind).remove(field)
    if request.htmx:
        return HttpResponse("")  # the listed file disappears; its file input stays
    messages.info(request, "已移除该文件，请重新填写并上传")
    return redirect("onboarding:register", kind=kind)


@login_required
def application(request: HttpRequest, pk: str) -> HttpResponse:
    """Where an application's actions lead back to: the review page for the back office, the
    status page for the applicant."""
    record = ACTIONS.lookup(request.user, pk)
    if record is None:
        raise Http404
    if is_back_office(request.user):
        return redirect("onboarding:review", pk=record.pk)
    return redirect("onboarding:status")


@login_required
def status(request: HttpRequest) -> HttpResponse:
    application = request.user.applications.order_by("-submitted_at").first()
    if application is None:
        return redirect("onboarding:choose")
    can = ACTIONS.buttons(request.user, application)
    context = {
        "application": application,
        "can": can,
        "form": ResubmitForm(record=application) if can["resubmit"] else None,
        "events": application.events.all(),
        "returned": application.events.filter(kind="returned").last(),
        "time_left": time_left(application),
    }
    return render(request, "onboarding/status.html", context)


@role_required(*BACK_OFFICE)
def queue(request: HttpRequest) -> HttpResponse:
    table = make_list(request, ReviewQueueTable, review_queue(timezone.now()))
    return render(request, "onboarding/queue.html", {"table": table})


@role_required(*BACK_OFFICE)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        # Older forms posted here with an `action` field: hand them to the action table.
        action = request.POST.get("action", "")
        if action not in ACTIONS.actions:
            return HttpResponse("审核操作：请选择退回补正、审核通过或不予通过", status=400)
        url = reverse(f"onboarding:{action}", kwargs={"pk": str(pk)})
        return resolve(url).func(request, pk=str(pk))
    application = get_object_or_404(Application.objects.select_related("applicant"), pk=pk)
    return _review_page(request, application)


def _review_page(
    request: HttpRequest, application: Application, revealed: str = ""
) -> HttpResponse:
    context = {
        "application": application,
        "documents": application.documents.all(),
        "can": ACTIONS.buttons(request.user, application),
        "return_form": ReturnForm(record=application),
        "approve_form": ApproveForm(),
        "reject_form": RejectForm(),
        "events": application.events.select_related("by__organisation"),
        "time_left": time_left(application),
        "can_reveal": request.user.role in DECIDERS,
        "revealed": revealed,
    }
    return render(request, "onboarding/review.html", context)


@role_required(*DECIDERS)
@require_POST
def reveal_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    reason = request.POST.get("reason", "").strip()
    identity = getattr(application.applicant, "identity", None)
    if identity is None:
        raise Http404
    if not reason:
        messages.error(request, "查看完整身份证号码：请填写查看原因")
        return redirect("onboarding:review", pk=pk)
    # Shown in this answer only (no-store): the full number is never kept in the session.
    revealed = audit.reveal(identity, "id_number", by=request.user, reason=reason)
    return _review_page(request, application, revealed)


def _why_staff_read(item: Document) -> str:
    """What the audit row says the staff member was doing: named by what the file belongs to."""
    if item.applications.exists():
        return "注册审核"
    if item.change_reports.exists():
        return "变更报备审核"
    return f"查看{item.get_kind_display()}"


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """Materials are served only to their owner and to reviewers; every staff view is audited."""
    item = get_object_or_404(Document, pk=pk)
    is_owner = item.owner_id == request.user.pk
    if not is_owner and not is_back_office(request.user):
        raise Http404  # others may not know it exists
    if not is_owner:
        audit.record(request.user, "view_document", item, reason=_why_staff_read(item))
    response = FileResponse(open_stored(item.stored_name), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*ORGANISATIONS)
def my_changes(request: HttpRequest) -> HttpResponse:
    organisation = get_object_or_404(Organisation, account=request.user)
    form = ChangeReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = workflow.report_change(organisation, form, by=request.user)
        late = "（已超过变更后 1 个月的报备期限）" if report.reported_late else ""
        messages.success(request, f"变更报备已提交，待平台审核{late}")
        return redirect("onboarding:my_changes")
    context = {
        "form": form,
        "organisation": organisation,
        "reports": organisation.change_reports.all(),
    }
    return render(request, "onboarding/changes.html", context, status=400 if form.errors else 200)


@role_required(*BACK_OFFICE)
def change_queue(request: HttpRequest) -> HttpResponse:
    reports = ChangeReport.objects.select_related("organisation").prefetch_related("documents")
    rows = [(r, workflow.CHANGE_FLOW.available(request.user, r)) for r in reports]
    return render(request, "onboarding/change_queue.html", {"rows": rows})


@role_required(*BACK_OFFICE)
@require_POST
def decide_change(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ChangeReport, pk=pk)
    form = DecideChangeForm(request.POST)
    action = request.POST.get("action")
    # The table decides who may: a supervisor looks on, and is refused with nothing changed.
    workflow.CHANGE_FLOW.check_actor(
        request.user, report, action if action in ("approve", "return") else "approve"
    )
    run_action(
        request,
        form,
        lambda c: workflow.decide_change(
            report, by=request.user, approve=c["action"] == "approve", note=c["note"]
        ),
        "已审核变更报备，并已通知报备单位",
    )
    return redirect("onboarding:change_queue")


@ratelimit(key=ip_key, rate=rate("mobile_code"), method="POST", block=True)
@require_POST
def mobile_code(request: HttpRequest) -> HttpResponse:
    """Send a registration code; answers a small HTML fragment (htmx) or JSON for API clients."""
    try:
        mobile = validate_mobile(request.POST.get("mobile", ""))
        if User.objects.filter(mobile_digest=pii.digest(mobile)).exists():
            raise ChallengeRefused("该手机号码已注册")
        send_code(mobile, client_ip(request))
    except (InvalidIdentifier, ChallengeRefused) as exc:
        message, status_code = str(exc), 429 if "稍后" in str(exc) or "秒后" in str(exc) else 400
    else:
        message, status_code = "验证码已发送，10 分钟内有效", 200
    if request.htmx:
        # Answered 200 even when refused: htmx swaps no 4xx answer, and the refusal must show.
        # data-sent starts the button's countdown (site.js).
        sent = ' data-sent="1"' if status_code == 200 else ""
        css = "text-success" if status_code == 200 else "field-error"
        return HttpResponse(f'<span class="{css}"{sent} data-testid="code-status">{message}</span>')
    return JsonResponse({"detail": message}, status=status_code)


def scope_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        scope_excel.template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E8%83%BD%E5%8A%9B%E8%8C%83%E5%9B%B4%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


def pledge_template(request: HttpRequest) -> HttpResponse:
    return blanks.attachment(blanks.pledge_pdf(), "application/pdf", blanks.PLEDGE_NAME)


def application_template(request: HttpRequest) -> HttpResponse:
    return blanks.attachment(blanks.application_form_xlsx(), XLSX, blanks.APPLICATION_NAME)
