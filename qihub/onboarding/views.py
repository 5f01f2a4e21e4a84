from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qihub.accounts.client_ip import client_ip
from qihub.accounts.identifiers import InvalidIdentifier, validate_mobile
from qihub.accounts.models import Document, MemberKind, Organisation, Role, User
from qihub.accounts.permissions import role_required
from qihub.accounts.uploads import MaterialField, path_of
from qihub.core import audit, pii
from qihub.institutions import scope_excel
from qihub.onboarding import workflow
from qihub.onboarding.forms import FORMS, ChangeReportForm, ReturnForm
from qihub.onboarding.mobile import ChallengeRefused, send_code
from qihub.onboarding.models import Application, ApplicationStatus, ChangeReport
from qihub.onboarding.queries import review_queue, time_left

REVIEWERS = (Role.OPERATOR, Role.ADMIN)
READERS = (Role.OPERATOR, Role.ADMIN, Role.SUPERVISOR)


def choose_kind(request: HttpRequest) -> HttpResponse:
    return render(request, "onboarding/choose.html", {"kinds": MemberKind.choices})


def register(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FORMS:
        raise Http404
    form = FORMS[kind](request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        application = workflow.register(form)
        login(request, application.applicant, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "注册申请已提交，平台将在 3 个工作日内告知审核结果")
        return redirect("onboarding:status")
    status = 400 if request.method == "POST" else 200
    title = f"{MemberKind(kind).label}注册"
    return render(
        request, "onboarding/register.html", {"form": form, "title": title}, status=status
    )


def resubmit_form(
    application: Application, data: object = None, files: object = None
) -> forms.Form:
    returned = application.events.filter(kind="returned").last()
    form = forms.Form(data, files)
    for item in returned.returned_items if returned else []:
        form.fields[item["item"]] = MaterialField(label=f"补正：{item['label']}")
    form.fields["note"] = forms.CharField(label="补正说明", max_length=500, required=False)
    return form


@login_required
def status(request: HttpRequest) -> HttpResponse:
    application = request.user.applications.order_by("-submitted_at").first()
    if application is None:
        return redirect("onboarding:choose")
    form = None
    if application.status == ApplicationStatus.RETURNED:
        form = resubmit_form(application, request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            replacements = {k: v for k, v in form.cleaned_data.items() if k != "note"}
            workflow.resubmit(
                application,
                by=request.user,
                replacements=replacements,
                note=form.cleaned_data["note"],
            )
            messages.success(request, "补正材料已提交，平台将在 3 个工作日内重新审核")
            return redirect("onboarding:status")
    context = {
        "application": application,
        "form": form,
        "events": application.events.all(),
        "returned": application.events.filter(kind="returned").last(),
        "time_left": time_left(application),
    }
    return render(
        request, "onboarding/status.html", context, status=400 if form and form.errors else 200
    )


@role_required(*READERS)
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "onboarding/queue.html", {"rows": review_queue(timezone.now())})


@role_required(*READERS)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("applicant"), pk=pk)
    items = {d.kind: d.get_kind_display() for d in application.documents.filter(superseded=False)}
    return_form = ReturnForm(request.POST or None, items=items)
    if request.method == "POST":
        if request.user.role not in REVIEWERS:
            return HttpResponse("监管部门只能查看", status=403)
        action = request.POST.get("action")
        try:
            if action == "approve":
                workflow.approve(application, by=request.user, note=request.POST.get("note", ""))
                messages.success(request, "已审核通过，并已通知申请人")
                return redirect("onboarding:queue")
            if action == "return" and return_form.is_valid():
                workflow.return_for_supplement(
                    application,
                    by=request.user,
                    note=return_form.cleaned_data["note"],
                    returned_items=return_form.cleaned_data["returned_items"],
                )
                messages.success(request, "已退回补正，并已通知申请人")
                return redirect("onboarding:queue")
        except workflow.TransitionError as exc:
            messages.error(request, str(exc))
            return redirect("onboarding:review", pk=pk)
    context = {
        "application": application,
        "documents": application.documents.all(),
        "return_form": return_form,
        "events": application.events.select_related("by"),
        "time_left": time_left(application),
        "can_decide": request.user.role in REVIEWERS,
        "revealed": request.session.pop("revealed_id_number", None),
    }
    status_code = 400 if request.method == "POST" else 200
    return render(request, "onboarding/review.html", context, status=status_code)


@role_required(*REVIEWERS)
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
    request.session["revealed_id_number"] = audit.reveal(
        identity, "id_number", by=request.user, reason=reason
    )
    return redirect("onboarding:review", pk=pk)


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """Materials are served only to their owner and to reviewers; every staff view is audited."""
    item = get_object_or_404(Document, pk=pk)
    is_owner = item.owner_id == request.user.pk
    if not is_owner and request.user.role not in READERS:
        raise Http404  # others may not know it exists
    if not is_owner:
        audit.record(request.user, "view_document", item, reason="注册审核")
    response = FileResponse(path_of(item.stored_name).open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.ENTERPRISE, Role.INSTITUTION)
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


@role_required(*READERS)
def change_queue(request: HttpRequest) -> HttpResponse:
    reports = ChangeReport.objects.select_related("organisation").prefetch_related("documents")
    return render(
        request,
        "onboarding/change_queue.html",
        {"reports": reports, "can_decide": request.user.role in REVIEWERS},
    )


@role_required(*REVIEWERS)
@require_POST
def decide_change(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ChangeReport, pk=pk)
    try:
        workflow.decide_change(
            report,
            by=request.user,
            approve=request.POST.get("action") == "approve",
            note=request.POST.get("note", ""),
        )
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已审核变更报备，并已通知报备单位")
    return redirect("onboarding:change_queue")


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
        css = "text-success" if status_code == 200 else "field-error"
        return HttpResponse(f'<span class="{css}" data-testid="code-status">{message}</span>')
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
