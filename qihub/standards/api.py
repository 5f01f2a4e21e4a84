"""Standards through the API (ENT-3): look-up, 查新, the batch check and the watch list, with
the same forms and answers as the pages."""

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import CLIENTS
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.standards import services
from qihub.standards.forms import CheckForm, SearchForm, WatchForm
from qihub.standards.lookup import check_lines, lookup, search
from qihub.standards.models import Standard, Watch

router = Router(tags=["标准信息"])
member_router = Router(tags=["标准信息"], auth=AUTH)


def describe(standard: Standard) -> dict:
    return {
        "id": standard.pk,
        "number": standard.number,
        "title": standard.title,
        "kind": standard.get_kind_display(),
        "status": standard.get_status_display(),
        "issued_on": standard.issued_on.isoformat() if standard.issued_on else None,
        "effective_on": standard.effective_on.isoformat() if standard.effective_on else None,
        "withdrawn_on": standard.withdrawn_on.isoformat() if standard.withdrawn_on else None,
        "replaces": standard.replaces_list(),
        "replaced_by": standard.replaced_by_list(),
        "demo": standard.demo,
    }


@router.get(
    "/standards/lookup",
    response={200: dict, 404: dict, 422: dict},
    summary="查询一个标准号（写法不限；不写年代号即查现行版本）",
)
def lookup_number(request: HttpRequest, number: str = "") -> Status | dict:
    if not number.strip():
        return Status(422, {"errors": {"number": ["标准号：请填写"]}})
    found = lookup(number[:100])
    if not found.valid_number:
        return Status(
            422,
            {"errors": {"number": [f"标准号：“{number[:40]}”不是标准号（应如 GB/T 19001-2016）"]}},
        )
    if found.standard is None:
        return Status(
            404,
            {
                "detail": f"平台标准库中没有 {number[:40]}",
                "suggestions": [s.number for s in found.suggestions],
            },
        )
    return {
        **describe(found.standard),
        "editions": [
            {"number": s.number, "status": s.get_status_display()} for s in found.editions
        ],
    }


@router.get("/standards/search", response={200: dict, 422: dict}, summary="标准查新（按词检索）")
def search_standards(
    request: HttpRequest, q: str = "", kind: str = "", status: str = "", page: int = 1
) -> Status | dict:
    form = SearchForm({"q": q, "kind": kind, "status": status})
    if not form.is_valid():
        return invalid(form)
    rows = search(Standard.objects.all(), form.cleaned_data["q"])
    if form.cleaned_data["kind"]:
        rows = rows.filter(kind=form.cleaned_data["kind"])
    if form.cleaned_data["status"]:
        rows = rows.filter(status=form.cleaned_data["status"])
    pages = Paginator(rows, 20)
    current = pages.get_page(page)
    return {
        "count": pages.count,
        "page": current.number,
        "pages": pages.num_pages,
        "results": [describe(s) for s in current],
    }


@router.post("/standards/check", response={200: dict, 422: dict}, summary="标准有效性批量核查")
@form_body(CheckForm)
def batch_check(request: HttpRequest) -> Status | dict:
    form = CheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(form)
    lines = check_lines(form.cleaned_data["list"])
    return {
        "lines": [
            {
                "line": line.line,
                "typed": line.typed,
                "result": line.result_label,
                "number": line.standard.number if line.standard else None,
                "detail": line.detail,
                "duplicate_of": line.duplicate_of or None,
                "suggestions": line.suggestions,
            }
            for line in lines
        ]
    }


def _member(request: HttpRequest) -> Status | None:
    if request.user.role not in CLIENTS:
        return Status(403, {"detail": "只有企业和个人用户可以关注标准"})
    return None


@member_router.get(
    "/standards/watches", response={200: list[dict], 403: dict}, summary="我关注的标准"
)
def my_watches(request: HttpRequest) -> Status | list[dict]:
    if refused := _member(request):
        return refused
    rows = Watch.objects.filter(user=request.user).select_related("standard")
    return [
        {
            **describe(w.standard),
            "change": w.change,
            "changed_at": w.changed_at.isoformat() if w.changed_at else None,
            "unread": w.unread,
        }
        for w in rows
    ]


@member_router.post(
    "/standards/watches", response={201: dict, 403: dict, 404: dict, 422: dict}, summary="关注标准"
)
@form_body(WatchForm)
def add_watch(request: HttpRequest) -> Status:
    if refused := _member(request):
        return refused
    form = WatchForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        standard = services.watch(request.user, form.cleaned_data["number"])
    except services.NotFound as exc:
        return Status(404, {"detail": str(exc)})
    return Status(201, describe(standard))


router.add_router("", member_router)
