"""The finance directory, its products, and the referral requests (OPS-5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import DECIDERS, is_decider, is_enterprise, is_handler
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.deadlines.queries import clocks_of
from qihub.finance import forms, workflow
from qihub.finance.actions import ACTIONS
from qihub.finance.models import OPEN_STATUSES, FinanceProduct, ProductKind
from qihub.finance.tables import ReferralTable


def directory(request: HttpRequest) -> HttpResponse:
    rows = FinanceProduct.objects.all()
    if not is_decider(request.user):
        rows = rows.filter(active=True)
    groups = [(label, [p for p in rows if p.kind == value]) for value, label in ProductKind.choices]
    return render(
        request,
        "finance/directory.html",
        {
            "groups": groups,
            "may_edit": is_decider(request.user),
        },
    )


def product(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(FinanceProduct, pk=pk)
    if not found.active and not is_decider(request.user):
        raise Http404
    form = forms.ApplyForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        workflow.FLOW.check_actor(request.user, None, "apply")
        made: list = []
        if run_action(
            request,
            form,
            lambda data: made.append(workflow.apply(found, by=request.user, data=data)),
            "对接申请已提交，平台将在 3 个工作日内转介金融机构",
        ):
            return redirect("finance:referral", made[0].number)
    return render(
        request,
        "finance/product.html",
        {
            "product": found,
            "form": form,
            "may_apply": is_enterprise(request.user),
            "may_edit": is_decider(request.user),
        },
    )


@role_required(*DECIDERS)
def product_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(FinanceProduct, pk=pk) if pk else None
    form = forms.ProductForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, "金融产品已保存")
        return redirect("finance:product", saved.pk)
    return render(
        request,
        "finance/product_form.html",
        {
            "form": form,
            "title": "修改金融产品" if instance else "录入金融产品",
        },
    )


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    # The product and the enterprise's registered name are read by every row.
    rows = workflow.visible_referrals(request.user).select_related(
        "product", "enterprise__organisation"
    )
    staff = is_handler(request.user)
    show = request.GET.get("show", "")
    if staff and show != "all":
        rows = rows.filter(status__in=OPEN_STATUSES).order_by("created_at")
    table = make_list(
        request, ReferralTable, rows, empty_action=("查看金融服务", reverse("finance:directory"))
    )
    return render(request, "finance/referrals.html", {"table": table, "staff": staff, "show": show})


@login_required
def referral(request: HttpRequest, number: str) -> HttpResponse:
    found = workflow.visible_referrals(request.user).filter(number=number).first()
    if found is None:
        raise Http404
    return render(
        request,
        "finance/referral.html",
        {
            "referral": found,
            "can": ACTIONS.buttons(request.user, found),
            "clocks": clocks_of(found, timezone.now()),
            "events": found.events.select_related("by__organisation"),
        },
    )
