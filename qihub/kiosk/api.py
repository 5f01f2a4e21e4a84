"""The kiosk's print authorisation through the API (STA-3): the same form, checks and rate
limit as the kiosk page, and the owner's phone token for an app to show as a QR code."""

from django.http import HttpRequest
from django.urls import reverse
from django_ratelimit.decorators import ratelimit
from ninja import Router, Status

from qihub.accounts.client_ip import ip_key, rate
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.kiosk import printing
from qihub.kiosk.forms import ReportCodeForm

router = Router(tags=["自助终端"])


@router.post(
    "/kiosk/report",
    response={200: dict, 403: dict, 422: dict},
    summary="自助终端打印报告：报告编号 number 与核验码 code，或手机二维码 token；返回 5 分钟内有效的打印地址",
)
@form_body(ReportCodeForm)
@ratelimit(key=ip_key, rate=rate("kiosk_report"), method="POST", block=True)
def authorise_print(request: HttpRequest) -> Status:
    form = ReportCodeForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        found = printing.authorise(form.cleaned_data)
    except printing.NotAllowed as exc:
        return Status(403, {"detail": str(exc)})
    token = printing.print_token(found)
    return Status(
        200,
        {
            "number": found.number,
            "page": reverse("kiosk:print_report", args=[token]),
            "pdf": reverse("kiosk:report_pdf", args=[token]),
            "expires_in_seconds": printing.TOKEN_SECONDS,
        },
    )


@router.get(
    "/orders/{number}/kiosk-token",
    response={200: dict, 404: dict},
    summary="在自助终端打印：本人订单报告的二维码内容，5 分钟内有效",
    auth=AUTH,
)
def phone_token(request: HttpRequest, number: str) -> Status:
    found = printing.owners_report(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该订单的报告，或您不是下单人"})
    return Status(
        200,
        {
            "report": found.number,
            "token": printing.phone_token(found),
            "expires_in_seconds": printing.TOKEN_SECONDS,
        },
    )
