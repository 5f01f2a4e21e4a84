"""版本记录: the versions of the key master data, for the back office (ARC-2)."""

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE
from qihub.history.versions import versions_of

# The records with a version page: address segment → (model, what the page calls it).
PAGES: dict[str, tuple[str, str]] = {
    "service": ("institutions.InstitutionService", "机构服务项目"),
    "institution": ("accounts.Organisation", "机构资料"),
    "qualification": ("institutions.Qualification", "机构资质"),
    "catalogue-item": ("catalog.ServiceItem", "平台服务事项"),
    "platform": ("catalog.PlatformInfo", "平台信息"),
    "station": ("accounts.Station", "服务站"),
    "retention": ("filing.RetentionRule", "保管期限规则"),
}


def kind_of(instance: object) -> str | None:
    """The address segment of a record's version page, if it has one."""
    label = type(instance)._meta.label  # type: ignore[attr-defined]
    return next((kind for kind, (model, _) in PAGES.items() if model == label), None)


@role_required(*BACK_OFFICE)
def versions(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in PAGES:
        raise Http404
    label, noun = PAGES[kind]
    instance = get_object_or_404(apps.get_model(label), pk=pk)
    return render(
        request,
        "history/versions.html",
        {"instance": instance, "noun": noun, "versions": versions_of(instance)},
    )
