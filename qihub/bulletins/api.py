"""Policies, safety alerts, subscriptions and defect reports through the API (CAT-7, CMP-5).
The library and the alerts are public; reporting a defect needs no account (contact details do);
the report's steps come from the same table as the pages (`actions.ACTIONS`)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import is_decider, is_enterprise, is_handler
from qihub.accounts.tokens import AUTH
from qihub.bulletins import alerts, forms, search, workflow
from qihub.bulletins.actions import ACTIONS, describe
from qihub.bulletins.models import Alert, AlertSubscription, DefectStatus, Policy
from qihub.core.api import form_body, invalid
from qihub.core.workflow import WorkflowError

router = Router(tags=["政策法规与安全警示"])
member_router = Router(tags=["政策法规与安全警示"], auth=AUTH)
PAGE = 20


def policy_json(policy: Policy) -> dict:
    return {
        "id": policy.pk,
        "title": policy.title,
        "issuer": policy.issuer,
        "number": policy.number,
        "issued_on": policy.issued_on.isoformat(),
        "validity": policy.validity,
        "validity_label": policy.get_validity_display(),
        "field": policy.field,
        "field_label": policy.get_field_display(),
        "text": policy.text,
        "link": policy.link,
    }


def alert_json(alert: Alert) -> dict:
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "kind_label": alert.get_kind_display(),
        "field": alert.field,
        "field_label": alert.get_field_display(),
        "title": alert.title,
        "product": alert.product,
        "published_on": alert.published_on.isoformat(),
        "text": alert.text,
        "source": alert.source,
    }


def subscription_json(s: AlertSubscription) -> dict:
    return {"id": s.pk, "field": s.field, "field_label": s.get_field_display(), "keywords": s.words}


@router.get(
    "/bulletins/policies",
    response={200: dict, 422: dict},
    summary="检索政策法规（q 关键词，按中文分词匹配；field 领域；validity 效力；page 页码）",
)
def policies(
    request: HttpRequest, q: str = "", field: str = "", validity: str = "", page: int = 1
) -> Status | dict:
    form = forms.PolicySearchForm({"q": q, "field": field, "validity": validity})
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    rows = search.search(Policy.objects.all(), data["q"])
    if data["field"]:
        rows = rows.filter(field=data["field"])
    if data["validity"]:
        rows = rows.filter(validity=data["validity"])
    total = rows.count()
    page = min(max(page, 1), 10_000)  # an absurd page is an empty page, not an SQL overflow
    chunk = rows[(page - 1) * PAGE : page * PAGE]
    return {"count": total, "page": page, "results": [policy_json(p) for p in chunk]}


@router.get("/bulletins/policies/{pk}", response={200: dict, 404: dict}, summary="政策法规详情")
def policy(request: HttpRequest, pk: int) -> Status | dict:
    found = Policy.objects.filter(pk=pk).first()
    if found is None:
        return Status(404, {"detail": "没有该政策法规"})
    return policy_json(found)


@router.post(
    "/bulletins/policies",
    response={201: dict, 403: dict, 422: dict},
    summary="录入政策法规（平台运营人员）",
    auth=AUTH,
)
@form_body(forms.PolicyForm)
def add_policy(request: HttpRequest) -> Status:
    if not is_decider(request.user):
        return Status(403, {"detail": "只有平台运营人员可以维护政策法规库"})
    form = forms.PolicyForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    made = form.save(commit=False)
    made.created_by = request.user
    made.save()
    return Status(201, policy_json(made))


@router.get("/bulletins/alerts", response=list[dict], summary="安全警示（最新在前）")
def alert_list(request: HttpRequest, field: str = "", kind: str = "") -> list[dict]:
    rows = Alert.objects.all()
    if field:
        rows = rows.filter(field=field)
    if kind:
        rows = rows.filter(kind=kind)
    return [alert_json(a) for a in rows[:100]]


@router.post(
    "/bulletins/alerts",
    response={201: dict, 403: dict, 422: dict},
    summary="发布安全警示（平台运营人员）；立即通知订阅了匹配领域与产品的企业",
    auth=AUTH,
)
@form_body(forms.AlertForm)
def publish_alert(request: HttpRequest) -> Status:
    if not is_decider(request.user):
        return Status(403, {"detail": "只有平台运营人员可以发布安全警示"})
    form = forms.AlertForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    made = alerts.publish(by=request.user, data=form.cleaned_data)
    return Status(201, {**alert_json(made), "notified": made.notified})


@member_router.get(
    "/bulletins/subscriptions", response={200: list[dict], 403: dict}, summary="本企业的警示订阅"
)
def subscriptions(request: HttpRequest) -> Status | list[dict]:
    if not is_enterprise(request.user):
        return Status(403, {"detail": "只有企业用户可以订阅安全警示"})
    rows = AlertSubscription.objects.filter(enterprise=request.user)
    return [subscription_json(s) for s in rows]


@member_router.post(
    "/bulletins/subscriptions",
    response={201: dict, 403: dict, 422: dict},
    summary="按领域和产品关键词订阅安全警示",
)
@form_body(forms.SubscriptionForm)
def subscribe(request: HttpRequest) -> Status:
    if not is_enterprise(request.user):
        return Status(403, {"detail": "只有企业用户可以订阅安全警示"})
    form = forms.SubscriptionForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    made = form.save(commit=False)
    made.enterprise = request.user
    made.save()
    return Status(201, subscription_json(made))


@router.post(
    "/bulletins/defects",
    response={201: dict, 409: dict, 422: dict},
    summary="报告产品缺陷（无需登录，须留联系方式；证据材料 evidence_1…3 为 PDF/JPG/PNG）",
)
@form_body(forms.DefectForm)
def report_defect(request: HttpRequest) -> Status:
    form = forms.DefectForm(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(form)
    try:
        made = workflow.submit(by=request.user, data=form.cleaned_data, files=form.files_posted)
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(made, request.user))


@router.get(
    "/bulletins/defects",
    response=list[dict],
    summary="产品缺陷报告（工作人员：待答复的在前；报告人：本人提交的）",
    auth=AUTH,
)
def defects(request: HttpRequest, show: str = "") -> list[dict]:
    rows = workflow.visible_reports(request.user).prefetch_related("evidence")
    if is_handler(request.user) and show != "all":
        rows = rows.filter(status=DefectStatus.RECEIVED).order_by("created_at")
    return [describe(r, request.user) for r in rows[:200]]


ACTIONS.register_api(member_router, "/bulletins/defects")
router.add_router("", member_router)
