"""The workstation through the API (BIO-7, BIO-8, CAT-5): the current service manual (public),
the directories and the matching search (public; contacts of talent for staff only), industry
figures (staff) and key projects (staff; steps from the same table as the pages)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import is_handler, is_staff_member
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.workstation import workflow
from qihub.workstation.actions import ACTIONS, describe
from qihub.workstation.forms import FigureForm, ProjectForm
from qihub.workstation.matching import match
from qihub.workstation.models import (
    AllianceMember,
    Hospital,
    IndustryFigure,
    KeyProject,
    ManualVersion,
)

router = Router(tags=["生物医药工作站"])
member_router = Router(tags=["生物医药工作站"], auth=AUTH)


def manual_json(manual: ManualVersion) -> dict:
    return {
        "number": manual.number,
        "updated_on": manual.updated_on.isoformat(),
        "items": manual.item_list,
        "contacts": manual.contacts,
        "how_to_apply": manual.how_to_apply,
        "change_note": manual.change_note,
    }


def figure_json(f: IndustryFigure) -> dict:
    return {
        "town": f.town.name,
        "year": f.year,
        "quarter": f.quarter,
        "enterprises": f.enterprises,
        "above_scale": f.above_scale,
        "below_scale": f.below_scale,
        "output": str(f.output),
        "tax": str(f.tax),
    }


def hospital_json(h: Hospital) -> dict:
    return {
        "name": h.name,
        "filing_number": h.filing_number,
        "specialties": h.specialties.splitlines(),
        "contact": h.contact,
    }


def member_json(m: AllianceMember) -> dict:
    return {"organisation": m.organisation, "offers": m.offers.splitlines(), "contact": m.contact}


@router.get(
    "/workstation/manual", response={200: dict, 404: dict}, summary="工作站服务手册（现行版）"
)
def manual(request: HttpRequest) -> Status | dict:
    current = ManualVersion.objects.first()
    if current is None:
        return Status(404, {"detail": "服务手册尚未发布"})
    return manual_json(current)


@router.get("/workstation/manual/versions", response=list[dict], summary="服务手册历次版本")
def manual_versions(request: HttpRequest) -> list[dict]:
    return [manual_json(m) for m in ManualVersion.objects.all()]


@router.get("/workstation/match", response=dict, summary="资源对接：按产品或专业查找联盟成员和医院")
def matching(request: HttpRequest, q: str = "") -> dict:
    found = match(q[:100])
    return {
        "words": found.words,
        "members": [member_json(m) for m in found.members],
        "hospitals": [hospital_json(h) for h in found.hospitals],
        "talents": [
            {"name": t.name, "field": t.field, "title": t.title, "organisation": t.organisation}
            for t in found.talents
        ],
    }


@member_router.get(
    "/workstation/figures", response={200: list[dict], 403: dict}, summary="各乡镇产业数据"
)
def figures(request: HttpRequest) -> Status | list[dict]:
    if not is_staff_member(request.user):
        return Status(403, {"detail": "只有平台和站点工作人员可以查看产业数据"})
    return [figure_json(f) for f in IndustryFigure.objects.select_related("town")]


@member_router.post(
    "/workstation/figures",
    response={201: dict, 403: dict, 422: dict},
    summary="填报一个乡镇一个季度的产业数据（同季度再次填报以新数据为准）",
)
@form_body(FigureForm)
def report_figure(request: HttpRequest) -> Status:
    if not is_staff_member(request.user):
        return Status(403, {"detail": "只有平台和站点工作人员可以填报产业数据"})
    form = FigureForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    saved = save_figure(form, request.user)
    return Status(201, figure_json(saved))


def save_figure(form: FigureForm, by: object) -> IndustryFigure:
    data = dict(form.cleaned_data)
    town, year, quarter = data.pop("town"), data.pop("year"), data.pop("quarter")
    figure, _ = IndustryFigure.objects.update_or_create(
        town=town, year=year, quarter=quarter, defaults={**data, "reported_by": by}
    )
    return figure


@member_router.get(
    "/workstation/projects", response={200: list[dict], 403: dict}, summary="重点项目"
)
def projects(request: HttpRequest) -> Status | list[dict]:
    if not is_handler(request.user):
        return Status(403, {"detail": workflow.STAFF})
    return [describe(p, request.user) for p in KeyProject.objects.prefetch_related("sessions")]


@member_router.post(
    "/workstation/projects",
    response={201: dict, 403: dict, 422: dict},
    summary="登记一个重点项目（创新通道或第二类优先审批推荐）",
)
@form_body(ProjectForm)
def open_project(request: HttpRequest) -> Status:
    try:
        workflow.FLOW.check_actor(request.user, None, "open")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    form = ProjectForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        made = workflow.open_project(by=request.user, **form.cleaned_data)
    except WorkflowError as exc:
        return Status(422, {"detail": str(exc)})
    return Status(201, describe(made, request.user))


ACTIONS.register_api(member_router, "/workstation/projects")
router.add_router("", member_router)
