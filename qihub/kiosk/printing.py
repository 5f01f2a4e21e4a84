"""Who may print a report at a kiosk (STA-3), and the short-lived tokens that carry the right.

A visitor proves they hold a report by the report number plus the verification code printed on
its cover, or by a QR code the order's owner shows on their phone. Either way the kiosk gets a
print token: the report number signed with the time, good for five minutes, so nothing about the
report is kept in the kiosk's session and a forgotten page stops working by itself.
"""

import secrets

from django.core import signing

from qihub.orders.models import Report

TOKEN_SECONDS = 5 * 60
# Different salts: a phone's QR token cannot be used as a print address and the reverse.
PHONE_SALT = "qihub.kiosk.phone"
PRINT_SALT = "qihub.kiosk.print"


class NotAllowed(Exception):
    """The Chinese reason shown at the kiosk."""


def _sign(number: str, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(number)


PHONE_EXPIRED = "二维码已过期，请在手机上重新打开“在自助终端打印”"
PHONE_BAD = "二维码无法识别，请重新扫描或改用报告编号和核验码"
PRINT_GONE = "打印页面已失效，请重新输入报告编号和核验码"


def _unsign(token: str, salt: str, expired: str, bad: str) -> str:
    try:
        return signing.TimestampSigner(salt=salt).unsign(token.strip(), max_age=TOKEN_SECONDS)
    except signing.SignatureExpired:
        raise NotAllowed(expired) from None
    except signing.BadSignature:
        raise NotAllowed(bad) from None


def phone_token(report: Report) -> str:
    """What the owner's phone shows as a QR code; a scanner types it into the kiosk."""
    return _sign(report.number, PHONE_SALT)


def print_token(report: Report) -> str:
    return _sign(report.number, PRINT_SALT)


def by_code(number: str, code: str) -> Report:
    """The report whose number and printed verification code both match."""
    number, code = number.strip().upper(), code.strip().upper()
    report = Report.objects.filter(number=number).first()
    # One message for an unknown number and a wrong code: the kiosk does not say which exists.
    if report is None or not secrets.compare_digest(code, report.verification_code):
        raise NotAllowed("报告编号或核验码不正确，请核对报告封面上的编号和核验码")
    return report


def by_phone_token(token: str) -> Report:
    report = Report.objects.filter(
        number=_unsign(token, PHONE_SALT, PHONE_EXPIRED, PHONE_BAD)
    ).first()
    if report is None:
        raise NotAllowed(PHONE_BAD)
    return report


def by_print_token(token: str) -> Report:
    report = Report.objects.filter(
        number=_unsign(token, PRINT_SALT, PRINT_GONE, PRINT_GONE)
    ).first()
    if report is None:
        raise NotAllowed(PRINT_GONE)
    return report


def authorise(data: dict) -> Report:
    """The kiosk form's cleaned data (page and API alike): the phone's token, else number + code."""
    if data.get("token"):
        return by_phone_token(data["token"])
    return by_code(data["number"], data["code"])


def owners_report(user: object, order_number: str) -> Report | None:
    """The report of the user's own order, for the phone QR; None for anyone else, staff and the
    institution included (they print at their own desk)."""
    from qihub.orders.actions import ACTIONS

    order = ACTIONS.lookup(user, order_number)
    report = getattr(order, "report", None) if order is not None else None
    if report is None or order.client_id != getattr(user, "pk", None):
        return None
    return report
