"""Instrument sharing's rules (INS-1): search, permits, the use record and the fee slip."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from qihub.accounts.models import User
from qihub.bookings.models import Booking, Purpose
from qihub.core.numbering import next_number
from qihub.core.workflow import WorkflowError
from qihub.institutions.query import parse
from qihub.institutions.tokens import normalise
from qihub.instruments.models import FeeSlip, Instrument, InstrumentPermit, ServiceMode, UseRecord
from qihub.workcal.calendar import TZ

NO_PERMIT = "自主上机须先经该仪器的培训或具备相应资质，并由仪器所属机构登记；目前您只能选择送样检测"


def search_text(instrument: Instrument) -> str:
    parts = [instrument.name, instrument.model, instrument.maker, instrument.capabilities]
    return normalise(" ".join(parts))


def search(rows: QuerySet[Instrument], query: str) -> QuerySet[Instrument]:
    """The institutions' understanding of the query (`institutions.query.parse`: jieba words,
    synonyms, the service verb dropped); every word, or one of its synonyms, must occur in the
    instrument's name, model, maker or capabilities."""
    parsed = parse(query)
    if not parsed.words and not parsed.standards:
        if parsed.verbs or not query.strip():
            return rows  # only a verb (检测) or nothing: every instrument does that
        return rows.none()
    for word in parsed.words:
        any_of = Q()
        for alternative in word.alternatives:
            any_of |= Q(search_text__icontains=alternative)
        rows = rows.filter(any_of)
    for standard in parsed.standards:
        rows = rows.filter(search_text__icontains=standard.removeprefix("s:"))
    return rows


def permit_of(
    user: User, instrument: Instrument, on: dt.date | None = None
) -> InstrumentPermit | None:
    if not user.is_authenticated:
        return None
    on = on or timezone.now().astimezone(TZ).date()
    return (
        instrument.permits.filter(user=user, on__lte=on, valid_until__gte=on)
        .order_by("-valid_until")
        .first()
    )


def purposes(instrument: Instrument, user: User) -> tuple[list[tuple[str, str]], str]:
    """The purposes this user may book, and why one is missing."""
    offered = []
    if ServiceMode.TEST in instrument.modes:
        offered.append((Purpose.TEST.value, Purpose.TEST.label))
    note = ""
    if ServiceMode.OPERATE in instrument.modes:
        if permit_of(user, instrument) is not None:
            offered.append((Purpose.OPERATE.value, Purpose.OPERATE.label))
        else:
            note = NO_PERMIT
    return offered, note


def check_booking(resource: object, user: User, purpose: str) -> None:
    """Called by bookings for every instrument booking, page and API alike."""
    instrument = Instrument.objects.get(resource=resource)
    if not instrument.listed:
        raise WorkflowError("该仪器已停止共享，不能预约")
    if purpose == Purpose.OPERATE:
        if ServiceMode.OPERATE not in instrument.modes:
            raise WorkflowError("事由：该仪器不提供自主上机")
        if permit_of(user, instrument) is None:
            raise WorkflowError(f"事由：{NO_PERMIT}")
    if purpose == Purpose.TEST and ServiceMode.TEST not in instrument.modes:
        raise WorkflowError("事由：该仪器不提供送样检测")


def use_of(booking: Booking) -> UseRecord:
    return UseRecord.objects.get_or_create(booking=booking)[0]


def close(
    booking: Booking,
    *,
    by: User,
    at: dt.datetime,
    hours: Decimal | None,
    samples: int | None,
) -> FeeSlip:
    """Closing an instrument booking: count the use, then issue the fee slip. Runs inside the
    booking's finish step, so a refused close leaves neither behind."""
    instrument = Instrument.objects.get(resource=booking.resource)
    use = use_of(booking)
    if hours is None and use.started_at and use.stopped_at:
        seconds = (use.stopped_at - use.started_at).total_seconds()
        hours = Decimal(seconds / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    operate = booking.purpose == Purpose.OPERATE
    if operate and hours is None:
        raise WorkflowError("使用机时：请填写使用机时，或先登记开始和结束使用")
    if not operate and not samples:
        raise WorkflowError("样品数量：送样检测请填写样品数量")
    use.hours = hours or Decimal(0)
    use.samples = samples or 0
    use.save()
    if operate:
        quantity, unit, price = use.hours, "小时", instrument.price_per_hour
    else:
        quantity, unit, price = Decimal(use.samples), "样品", instrument.price_per_sample
    price = Decimal(0) if instrument.free or price is None else price
    return FeeSlip.objects.create(
        number=next_number("JF", at=at),
        booking=booking,
        instrument=instrument,
        quantity=quantity,
        unit=unit,
        unit_price=price,
        amount=(quantity * price).quantize(Decimal("0.01")),
        free=instrument.free,
        issued_at=at,
    )
