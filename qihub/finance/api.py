"""The finance directory and referral requests through the API (OPS-5): the directory is
public; applying, the referral list and its steps (same table as the pages) need an account."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import is_decider, is_handler
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.finance import forms, workflow
from qihub.finance.actions import ACTIONS, describe
from qihub.finance.models import OPEN_STATUSES, FinanceProduct

router = Router(tags=["金融服务"])
member_router = Router(tags=["金融服务"], auth=AUTH)


def product_json(p: FinanceProduct) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "kind_label": p.get_kind_display(),
        "name": p.name,
        "provider": p.provider,
        "summary": p.summary,
        "conditions": p.conditions,
        "terms": p.terms,
        "contact": p.contact,
        "active": p.active,
    }


@router.get(
    "/finance/products",
    response=list[dict],
    summary="金融服务目录（质量贷、知识产权质押融资、保险）",
)
def products(request: HttpRequest, kind: str = "") -> list[dict]:
    rows = FinanceProduct.objects.filter(active=True)
    if kind:
        rows = rows.filter(kind=kind)
    return [product_json(p) for p in rows]


@router.post(
    "/finance/products",
    response={201: dict, 403: dict, 422: dict},
    summary="录入金融产品（平台运营人员）",
    auth=AUTH,
)
@form_body(forms.ProductForm)
def add_product(request: HttpRequest) -> Status:
    if not is_decider(request.user):
        return Status(403, {"detail": "只有平台运营人员可以维护金融服务目录"})
    form = forms.ProductForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    return Status(201, product_json(form.save()))


@member_router.post(
    "/finance/products/{pk}/referrals",
    response={201: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="提交金融服务对接申请（企业）",
)
@form_body(forms.ApplyForm)
def apply(request: HttpRequest, pk: int) -> Status:
    found = FinanceProduct.objects.filter(pk=pk, active=True).first()
    if found is None:
        return Status(404, {"detail": "没有该金融产品"})
    try:
        workflow.FLOW.check_actor(request.user, None, "apply")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    form = forms.ApplyForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        made = workflow.apply(found, by=request.user, data=form.cleaned_data)
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(made, request.user))


@member_router.get(
    "/finance/referrals",
    response=list[dict],
    summary="金融对接申请（工作人员：未办结的在前；企业：本企业的）",
)
def referrals(request: HttpRequest, show: str = "") -> list[dict]:
    rows = workflow.visible_referrals(request.user)
    if is_handler(request.user) and show != "all":
        rows = rows.filter(status__in=OPEN_STATUSES).order_by("created_at")
    return [describe(r, request.user) for r in rows[:200]]


ACTIONS.register_api(member_router, "/finance/referrals")
router.add_router("", member_router)
