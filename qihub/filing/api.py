"""The archive through the API (ARC-4): /api/v1/filing/… — catalogues, items and the disposal
decisions, from the same action table as the pages (`qihub.filing.actions`)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import BACK_OFFICE
from qihub.accounts.tokens import AUTH
from qihub.filing import services
from qihub.filing.actions import ACTIONS, describe, visible
from qihub.filing.models import ArchiveItem, Retention
from qihub.filing.views import catalogue_name

router = Router(tags=["归档"], auth=AUTH)

FORBIDDEN = {"detail": "只有平台工作人员可以查看归档目录"}


def _back_office(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) in BACK_OFFICE


@router.get("/filing/catalogues", response={200: list, 403: dict}, summary="归档目录一览")
def catalogues(request: HttpRequest) -> Status:
    if not _back_office(request):
        return Status(403, FORBIDDEN)
    pairs = (
        ArchiveItem.objects.values_list("year", "retention")
        .distinct()
        .order_by("-year", "retention")
    )
    return Status(
        200,
        [
            {
                "year": year,
                "retention": retention,
                "retention_label": Retention(retention).label,
                "name": catalogue_name(year, retention),
                "count": ArchiveItem.objects.filter(year=year, retention=retention).count(),
            }
            for year, retention in pairs
        ],
    )


@router.get(
    "/filing/catalogues/{year}/{retention}",
    response={200: dict, 403: dict, 404: dict},
    summary="一本归档目录（年度、保管期限）及其文件",
)
def catalogue(request: HttpRequest, year: int, retention: str) -> Status:
    if not _back_office(request):
        return Status(403, FORBIDDEN)
    if retention not in Retention.values:
        return Status(404, {"detail": "保管期限只能是永久、定期30年或定期10年"})
    if not 1900 <= year <= 9999:
        return Status(404, {"detail": "年度应为四位数的年份"})
    items = ArchiveItem.objects.filter(year=year, retention=retention).order_by(
        "unit_code", "serial"
    )
    return Status(
        200,
        {
            "name": catalogue_name(year, retention),
            "fonds": services.fonds(),
            "year": year,
            "retention": retention,
            "retention_label": Retention(retention).label,
            "items": [describe(i, request.user) for i in items],
        },
    )


@router.get("/filing/due", response={200: list, 403: dict}, summary="已过保管期限待鉴定的文件")
def due(request: HttpRequest) -> Status:
    if not _back_office(request):
        return Status(403, FORBIDDEN)
    return Status(200, [describe(i, request.user) for i in services.due_items()])


@router.get("/filing/items/{number}", response={200: dict, 404: dict}, summary="一件归档文件")
def item(request: HttpRequest, number: str) -> Status:
    found = visible(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该记录，或您无权查看"})
    return Status(200, describe(found, request.user))


ACTIONS.register_api(router, "/filing/items")
