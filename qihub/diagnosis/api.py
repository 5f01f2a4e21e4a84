"""Diagnosis and showcase through the API (OPS-3): the same forms and the same action tables as
the pages (`qihub.diagnosis.actions`)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.models import Role
from qihub.accounts.roles import DECIDERS, DIAGNOSERS
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.diagnosis import risks, workflow
from qihub.diagnosis.actions import (
    PROBLEM_ACTIONS,
    SHOWCASE_ACTIONS,
    describe_entry,
    describe_problem,
    entry_visible,
    visits_visible_to,
)
from qihub.diagnosis.forms import ProblemForm, ShowcaseForm, VisitForm
from qihub.diagnosis.models import ShowcaseEntry, Visit, enterprise_of

router = Router(tags=["企业风采"])
members = Router(tags=["质量诊断"], auth=AUTH)
showcase_members = Router(tags=["企业风采"], auth=AUTH)
CREATED = {201: dict, 403: dict, 404: dict, 409: dict, 422: dict}


def describe_visit(visit: Visit, user: object) -> dict:
    return {
        "number": visit.number,
        "enterprise": visit.enterprise.name,
        "visited_on": visit.visited_on.isoformat(),
        "kind": visit.kind,
        "kind_label": visit.get_kind_display(),
        "visitors": visit.visitors,
        "findings": visit.findings,
        "problems": [describe_problem(p, user) for p in visit.problems.all()],
    }


@members.get("/diagnosis/visits", response=list[dict], summary="可查看的质量诊断记录")
def list_visits(request: HttpRequest) -> list[dict]:
    rows = visits_visible_to(request.user).prefetch_related("problems")
    return [describe_visit(v, request.user) for v in rows[:200]]


@members.post("/diagnosis/visits", response=CREATED, summary="登记质量诊断记录")
@form_body(VisitForm)
def create_visit(request: HttpRequest) -> Status:
    if request.user.role not in DIAGNOSERS:
        return Status(403, {"detail": "只有专家、服务站工作人员和平台运营人员可以登记质量诊断"})
    form = VisitForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    visit = workflow.record_visit(by=request.user, problems=[], **form.cleaned_data)
    return Status(201, describe_visit(visit, request.user))


@members.get(
    "/diagnosis/visits/{number}", response={200: dict, 404: dict}, summary="一条质量诊断记录"
)
def get_visit(request: HttpRequest, number: str) -> Status:
    visit = visits_visible_to(request.user).filter(number=number).first()
    if visit is None:
        return Status(404, {"detail": "没有该诊断记录，或您无权查看"})
    return Status(200, describe_visit(visit, request.user))


@members.post("/diagnosis/visits/{number}/problems", response=CREATED, summary="登记诊断发现的问题")
@form_body(ProblemForm)
def add_problem(request: HttpRequest, number: str) -> Status:
    visit = visits_visible_to(request.user).filter(number=number).first()
    if visit is None:
        return Status(404, {"detail": "没有该诊断记录，或您无权查看"})
    form = ProblemForm(request.POST)
    try:
        workflow.PROBLEMS.check_actor(request.user, None, "record")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    if not form.is_valid():
        return invalid(form)
    try:
        problem = workflow.record_problem(visit, by=request.user, **form.cleaned_data)
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe_problem(problem, request.user))


@members.get(
    "/diagnosis/results", response={200: dict, 403: dict}, summary="本企业检测结果汇总与质量风险"
)
def my_results(request: HttpRequest) -> Status:
    enterprise = enterprise_of(request.user) if request.user.role == Role.ENTERPRISE else None
    if enterprise is None:
        return Status(403, {"detail": "只有已认证的企业可以查看本企业的检测结果汇总"})
    return Status(
        200,
        {
            "enterprise": enterprise.name,
            "quarters": [row.__dict__ for row in risks.summary(enterprise)],
            "risks": [_risk(r) for r in risks.risks_visible_to(request.user)],
        },
    )


@members.get("/diagnosis/risks", response=list[dict], summary="可查看的重复不合格风险")
def risk_list(request: HttpRequest) -> list[dict]:
    return [_risk(r) for r in risks.risks_visible_to(request.user)[:500]]


def _risk(risk: object) -> dict:
    return {
        "enterprise": risk.enterprise.name,  # type: ignore[attr-defined]
        "product": risk.product,  # type: ignore[attr-defined]
        "parameter": risk.parameter,  # type: ignore[attr-defined]
        "failures": risk.failures,  # type: ignore[attr-defined]
        "last_failed_on": risk.last_failed_on.isoformat(),  # type: ignore[attr-defined]
    }


@router.get("/showcase", response=list[dict], summary="公开展示的企业风采")
def published(request: HttpRequest) -> list[dict]:
    rows = ShowcaseEntry.objects.published().select_related("enterprise")
    return [describe_entry(e, request.user) for e in rows[:500]]


@router.get("/showcase/{pk}", response={200: dict, 404: dict}, summary="一条企业风采")
def entry(request: HttpRequest, pk: int) -> Status:
    found = entry_visible(request.user, str(pk))
    if found is None:
        return Status(404, {"detail": "没有该企业风采，或尚未公开"})
    return Status(200, describe_entry(found, request.user))


# On the public router (one path, two methods), with the sign-in the propose needs.
@router.post("/showcase", response=CREATED, summary="提议展示企业风采（待企业同意）", auth=AUTH)
@form_body(ShowcaseForm)
def propose(request: HttpRequest) -> Status:
    if request.user.role not in DECIDERS:
        return Status(403, {"detail": "只有平台运营人员可以提议展示企业风采"})
    form = ShowcaseForm(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(form)
    created = workflow.propose(by=request.user, **form.cleaned_data)
    return Status(201, describe_entry(created, request.user))


PROBLEM_ACTIONS.register_api(members, "/diagnosis/problems")
SHOWCASE_ACTIONS.register_api(showcase_members, "/showcase")
router.add_router("", members)
router.add_router("", showcase_members)
