"""Pages of the policy library, the safety alerts with their subscriptions, and the product-defect
reports (CAT-7, CMP-5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import DECIDERS, ENTERPRISES, is_decider, is_handler
from qihub.bulletins import alerts, forms, search, workflow
from qihub.bulletins.actions import ACTIONS
from qihub.bulletins.models import Alert, AlertSubscription, DefectStatus, Policy
from qihub.bulletins.tables import AlertFilter, AlertTable, DefectTable, PolicyTable
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.deadlines.queries import clocks_of


# --- policies -------------------------------------------------------------------------------
def policies(request: HttpRequest) -> HttpResponse:
    form = forms.PolicySearchForm(request.GET or None)
    rows = Policy.objects.all()
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            rows = search.search(rows, data["q"])
            if data["field"]:
                rows = rows.filter(field=data["field"])
            if data["validity"]:
                rows = rows.filter(validity=data["validity"])
        else:
            rows = rows.none()
    table = make_list(request, PolicyTable, rows)
    return render(
        request,
        "bulletins/policies.html",
        {"table": table, "form": form, "may_edit": is_decider(request.user)},
    )


def policy(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Policy, pk=pk)
    return render(
        request, "bulletins/policy.html", {"policy": found, "may_edit": is_decider(request.user)}
    )


@role_required(*DECIDERS)
def policy_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Policy, pk=pk) if pk else None
    form = forms.PolicyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if instance is None:
            saved.created_by = request.user
        saved.save()
        messages.success(request, "政策法规已保存")
        return redirect("bulletins:policy", saved.pk)
    return render(
        request,
        "bulletins/form.html",
        {
            "form": form,
            "title": "编辑政策法规" if instance else "录入政策法规",
            "back": ("政策法规库", reverse("bulletins:policies")),
        },
    )


# --- alerts and subscriptions -------------------------------------------------------------
def alert_list(request: HttpRequest) -> HttpResponse:
    table = make_list(request, AlertTable, Alert.objects.all(), filterset_class=AlertFilter)
    return render(
        request,
        "bulletins/alerts.html",
        {
            "table": table,
            "may_publish": is_decider(request.user),
            "may_subscribe": request.user.is_authenticated and request.user.role in ENTERPRISES,
        },
    )


def alert(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Alert, pk=pk)
    return render(
        request, "bulletins/alert.html", {"alert": found, "staff": is_decider(request.user)}
    )


@role_required(*DECIDERS)
def alert_new(request: HttpRequest) -> HttpResponse:
    form = forms.AlertForm(request.POST or None, initial={"published_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        made = alerts.publish(by=request.user, data=form.cleaned_data)
        messages.success(request, f"安全警示已发布，已通知 {made.notified} 家订阅企业")
        return redirect("bulletins:alert", made.pk)
    return render(
        request,
        "bulletins/form.html",
        {
            "form": form,
            "title": "发布安全警示",
            "back": ("安全警示", reverse("bulletins:alerts")),
            "confirm": "发布后将立即通知订阅了该领域的企业，确定发布吗？",
        },
    )


@role_required(*ENTERPRISES)
def subscriptions(request: HttpRequest) -> HttpResponse:
    form = forms.SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = form.save(commit=False)
        made.enterprise = request.user
        made.save()
        messages.success(request, "已订阅")
        return redirect("bulletins:subscriptions")
    rows = AlertSubscription.objects.filter(enterprise=request.user)
    return render(request, "bulletins/subscriptions.html", {"form": form, "rows": rows})


@require_POST
@role_required(*ENTERPRISES)
def unsubscribe(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(AlertSubscription, pk=pk, enterprise=request.user)
    found.delete()
    messages.success(request, "已取消订阅")
    return redirect("bulletins:subscriptions")


# --- defect reports -----------------------------------------------------------------------
def defect_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {}
    if user.is_authenticated:
        initial = {
            "contact_name": user.party_name,
            "contact_phone": getattr(user, "mobile", "") or "",
        }
    form = forms.DefectForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        made: list = []

        def act(data: dict) -> None:
            made.append(workflow.submit(by=user, data=data, files=form.files_posted))

        if run_action(request, form, act, "产品缺陷报告已提交，平台将在 5 个工作日内答复"):
            report = made[0]
            if user.is_authenticated:
                return redirect("bulletins:defect", report.number)
            return render(request, "bulletins/defect_done.html", {"report": report})
    return render(request, "bulletins/defect_form.html", {"form": form})


@login_required
def defects(request: HttpRequest) -> HttpResponse:
    rows = workflow.visible_reports(request.user)
    staff = is_handler(request.user)
    show = request.GET.get("show", "")
    if staff and show != "all":
        rows = rows.filter(status=DefectStatus.RECEIVED)
    table = make_list(
        request, DefectTable, rows, empty_action=("报告产品缺陷", reverse("bulletins:defect_new"))
    )
    return render(request, "bulletins/defects.html", {"table": table, "staff": staff, "show": show})


@login_required
def defect(request: HttpRequest, number: str) -> HttpResponse:
    found = workflow.visible_reports(request.user).filter(number=number).first()
    if found is None:
        raise Http404
    return render(
        request,
        "bulletins/defect.html",
        {
            "report": found,
            "can": ACTIONS.buttons(request.user, found),
            "clocks": clocks_of(found, timezone.now()),
            "events": found.events.select_related("by__organisation"),
            "answer_form": forms.AnswerForm(),
            "pass_form": forms.PassOnForm(),
        },
    )
