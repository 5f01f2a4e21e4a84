"""The clinic and the expert pool through the API: the same forms and the same action table
as the pages (`qihub.clinic.actions`)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import BACK_OFFICE, DECIDERS
from qihub.accounts.tokens import AUTH
from qihub.clinic import library, queries, workflow
from qihub.clinic.actions import ACTIONS, describe, lookup, visible_to
from qihub.clinic.forms import AskForm, EnrolForm
from qihub.clinic.models import Consultation, Expert
from qihub.clinic.views import _save_expert
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError

router = Router(tags=["质量门诊问答库"])
members = Router(tags=["质量门诊"], auth=AUTH)
CREATED = {201: dict, 403: dict, 404: dict, 409: dict, 422: dict}


def describe_expert(expert: Expert) -> dict:
    return {
        "id": expert.pk,
        "name": expert.name,
        "title": expert.title,
        "organisation": expert.organisation.name if expert.organisation else "",
        "fields": expert.fields,
        "field_labels": expert.field_labels,
        "keywords": expert.keywords,
        "region": expert.region,
        "available": expert.available,
        "max_open": expert.max_open,
        "conflicts": [o.name for o in expert.conflicts.all()],
        "open": getattr(expert, "open_count", None),
        "answers": getattr(expert, "answers", None),
        "on_time_rate": getattr(expert, "on_time_rate", None),
        "average_rating": getattr(expert, "average_rating", None),
    }


def describe_entry(entry: Consultation) -> dict:
    return {
        "number": entry.number,
        "field": entry.field,
        "field_label": entry.get_field_display(),
        "title": entry.public_title,
        "question": entry.public_question,
        "answer": entry.public_answer,
        "published_at": entry.published_at.isoformat() if entry.published_at else None,
    }


@members.get("/clinic/consultations", response=list[dict], summary="可查看的质量门诊咨询")
def list_consultations(request: HttpRequest, show: str = "") -> list[dict]:
    rows = queries.shown(visible_to(request.user), show)
    return [describe(c, request.user) for c in rows[:200]]


@members.post("/clinic/consultations", response=CREATED, summary="提交质量门诊咨询（自动分派专家）")
@form_body(AskForm)
def ask(request: HttpRequest) -> Status:
    try:
        workflow.FLOW.check_actor(request.user, None, "ask")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    form = AskForm(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(form)
    data = dict(form.cleaned_data)
    attachment = data.pop("attachment", None)
    try:
        record = workflow.ask(by=request.user, attachments=[attachment], **data)
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(record, request.user))


@members.get(
    "/clinic/consultations/{number}", response={200: dict, 404: dict}, summary="一条质量门诊咨询"
)
def get_consultation(request: HttpRequest, number: str) -> Status:
    record = lookup(request.user, number)
    if record is None:
        return Status(404, {"detail": "没有该咨询，或您无权查看"})
    data = describe(record, request.user)
    data["history"] = [
        {"at": e.at.isoformat(), "kind": e.kind, "label": e.kind_label, "note": e.note}
        for e in record.events.all()
    ]
    return Status(200, data)


@members.get("/clinic/experts", response={200: list[dict], 403: dict}, summary="专家库及各专家统计")
def list_experts(request: HttpRequest) -> Status:
    if request.user.role not in BACK_OFFICE:
        return Status(403, {"detail": "只有平台运营人员和监管部门可以查看专家库"})
    rows = queries.with_rates(queries.pool().prefetch_related("conflicts"))
    return Status(200, [describe_expert(e) for e in rows])


@members.post("/clinic/experts", response=CREATED, summary="专家入库（关联已有专家账户）")
@form_body(EnrolForm)
def enrol(request: HttpRequest) -> Status:
    if request.user.role not in DECIDERS:
        return Status(403, {"detail": "只有平台运营人员可以管理专家库"})
    form = EnrolForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    expert = _save_expert(Expert(enrolled_by=request.user), form.cleaned_data)
    return Status(201, describe_expert(expert))


@router.get("/clinic/library", response=list[dict], summary="公开问答库（可搜索）")
def library_search(request: HttpRequest, q: str = "", field: str = "") -> list[dict]:
    return [describe_entry(e) for e in library.search(q[:100], field[:30])[:100]]


ACTIONS.register_api(members, "/clinic/consultations")
router.add_router("", members)
