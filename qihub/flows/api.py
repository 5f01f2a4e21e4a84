"""Guided flows through the API: the same forms and action table as the pages."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.models import Role
from qihub.accounts.roles import HANDLERS
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.diagnosis.models import enterprise_of
from qihub.flows import workflow
from qihub.flows.actions import RUN_ACTIONS, describe_run, run_visible, runs_visible_to
from qihub.flows.forms import StartForm
from qihub.flows.models import FlowTemplate

router = Router(tags=["办理流程"], auth=AUTH)
CREATED = {201: dict, 403: dict, 404: dict, 409: dict, 422: dict}


def describe_template(template: FlowTemplate) -> dict:
    return {
        "code": template.code,
        "version": template.version,
        "title": template.title,
        "source": template.source,
        "steps": [
            {
                "position": s.position,
                "title": s.title,
                "actor": s.actor,
                "actor_label": s.get_actor_display(),
                "documents": s.documents,
                "limit_days": s.limit_days,
                "source_note": s.source_note,
                "link": s.link,
            }
            for s in template.steps.all()
        ],
    }


@router.get("/flows/templates", response=list[dict], summary="现行办理流程模板（附录 A–F）")
def templates(request: HttpRequest) -> list[dict]:
    return [describe_template(t) for t in FlowTemplate.currents()]


@router.get("/flows/runs", response=list[dict], summary="可查看的流程办理")
def runs(request: HttpRequest) -> list[dict]:
    return [describe_run(r, request.user) for r in runs_visible_to(request.user)[:200]]


@router.get("/flows/runs/{number}", response={200: dict, 404: dict}, summary="一项流程办理")
def run(request: HttpRequest, number: str) -> Status:
    found = run_visible(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该办理流程，或您无权查看"})
    return Status(200, describe_run(found, request.user))


@router.post(
    "/flows/{code}/runs",
    response=CREATED,
    summary="发起办理流程（subject；工作人员另填 enterprise）",
)
@form_body(StartForm)
def start(request: HttpRequest, code: str) -> Status:
    template = FlowTemplate.current(code.upper()) if len(code) == 1 else None
    if template is None:
        return Status(404, {"detail": "没有该办理流程"})
    try:
        workflow.RUNS.check_actor(request.user, None, "start")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    staff = request.user.role in HANDLERS
    form = StartForm(request.POST, staff=staff)
    if not form.is_valid():
        return invalid(form)
    enterprise = form.cleaned_data["enterprise"] if staff else enterprise_of(request.user)
    if enterprise is None or request.user.role not in HANDLERS | {Role.ENTERPRISE}:
        return Status(403, {"detail": "只有已认证的企业可以发起办理流程"})
    try:
        created = workflow.start(
            template, by=request.user, enterprise=enterprise, subject=form.cleaned_data["subject"]
        )
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe_run(created, request.user))


RUN_ACTIONS.register_api(router, "/flows/runs")
