"""The blank forms an organisation downloads, fills in, signs and uploads with its registration:
诚信承诺书 (PDF, WeasyPrint) and 入驻申请表 (Excel). The application form's scope sheet has the
columns the scope import reads, so the same workbook can be uploaded as the scope file."""

import io
from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from qihub.institutions.models import QualificationType
from qihub.institutions.scope_excel import add_scope_sheet

PLEDGE_NAME = "诚信承诺书.pdf"
APPLICATION_NAME = "入驻申请表.xlsx"

APPLICANT_ROWS = [
    "单位名称（与营业执照一致）",
    "统一社会信用代码",
    "住所",
    "法定代表人",
    "联系人",
    "联系电话",
    "电子邮箱",
    "所在地区",
    "拟提供的服务类别",
    "单位简介",
]
QUALIFICATION_HEADERS = ["资质类型", "资质证书编号", "发证机关", "有效期起", "有效期至", "资质范围"]


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download under its Chinese name (RFC 5987: filename*=UTF-8'')."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def pledge_pdf() -> bytes:
    from weasyprint import HTML  # imported on use: it loads fonts and is slow to start

    return HTML(string=render_to_string("onboarding/pledge_pdf.html")).write_pdf()


def application_form_xlsx() -> bytes:
    book = Workbook()
    _applicant_sheet(book.active)
    _qualification_sheet(book.create_sheet())
    add_scope_sheet(book.create_sheet())
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _applicant_sheet(sheet: Worksheet) -> None:
    sheet.title = "基本信息"
    sheet.append(["服务机构入驻申请表"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["项目", "填写内容"])
    for row in APPLICANT_ROWS:
        sheet.append([row, ""])
    sheet.append([])
    sheet.append(["资质证书填写在“资质证书”表，服务能力范围填写在“服务能力范围”表。"])
    sheet.append(["填写完毕后由法定代表人签字并加盖公章，扫描为 PDF 后在注册页面上传。"])
    sheet.append(["法定代表人（签字）：", "", "单位（盖章）：", "", "日期：", ""])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 50
    for cell in sheet["B"]:
        cell.alignment = Alignment(wrap_text=True)


def _qualification_sheet(sheet: Worksheet) -> None:
    sheet.title = "资质证书"
    sheet.append(QUALIFICATION_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [QualificationType.CMA.label, "", "", "年-月-日", "年-月-日", "（与证书附表一致）"]
    )
    for column, width in zip("ABCDEF", (24, 20, 28, 14, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
