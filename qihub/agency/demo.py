"""Demo data for full agency (DEM-11): the demo enterprise's entrustment to the demo station's
agent, signed on paper, with a first step taken."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qihub.accounts.models import User
from qihub.agency import workflow
from qihub.agency.models import Authority
from qihub.catalog.models import ServiceItem


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def load_demo_agency() -> None:
    client = User.objects.filter(username="demo_enterprise").first()
    agent = User.objects.filter(username="demo_station", station__isnull=False).first()
    service = ServiceItem.objects.order_by("category", "position").first()
    if client is None or agent is None or service is None:
        return
    today = timezone.localdate()
    entrustment = workflow.create(
        client=client,
        agent=agent,
        items=[(service, "【演示】代为申请车间压力表检定并领取证书", None)],
        authorities=[Authority.SUBMIT, Authority.SAMPLE, Authority.COLLECT],
        handed_over="营业执照复印件\n压力表清单（30 块）",
        period_from=today,
        period_to=today + dt.timedelta(days=60),
    )
    scan = SimpleUploadedFile("【演示】签字委托书.pdf", _blank_pdf(), "application/pdf")
    workflow.sign_paper(entrustment, by=client, scan=scan)
    workflow.take_step(
        entrustment,
        by=agent,
        authority=Authority.SUBMIT,
        item=entrustment.items.get(),
        note="【演示】已向计量所提交检定申请",
    )
