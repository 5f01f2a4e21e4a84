"""Valid identifiers and real file headers for registration tests."""

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric

from qihub.accounts.identifiers import uscc_check_character

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def id_number(first17: str = "32010219900307123") -> str:
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum ignores the last character


def uscc(first17: str = "91320211MA1QH0001") -> str:
    return first17 + uscc_check_character(first17)


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def account(username: str, mobile: str) -> dict:
    return {
        "username": username,
        "password": "Qihub-2026-secure",
        "password_again": "Qihub-2026-secure",
        "mobile": mobile,
        "display_name": "",
        "email": f"{username}@example.com",
        "consent": "on",
    }


def individual(username: str = "zhang_san", mobile: str = "13912345678", **extra) -> dict:
    return {
        **account(username, mobile),
        "real_name": "张三",
        "id_number": id_number(),
        "id_scan": png(),
        **extra,
    }


def organisation(username: str, mobile: str, code: str) -> dict:
    return {
        **account(username, mobile),
        "name": "无锡示例精密机械有限公司",
        "uscc": code,
        "address": "江苏省无锡市滨湖区示例路 1 号",
        "legal_representative": "李四",
        "contact_name": "王五",
        "region": "320211",
        "business_licence": pdf("营业执照.pdf"),
        "integrity_pledge": pdf("诚信承诺书.pdf"),
    }


def enterprise(username: str = "jingmi", mobile: str = "13812345678", **extra) -> dict:
    return {
        **organisation(username, mobile, uscc()),
        "qualification_certificate": pdf("资质.pdf"),
        **extra,
    }


def scope_rows(*rows: tuple[str, ...]) -> dict[str, list[str]]:
    """Scope lines as the page's row editor posts them: one repeated field per column."""
    columns = ("category", "object", "parameter", "standard", "limits")
    return {f"line_{c}": [row[i] for row in rows] for i, c in enumerate(columns)}


def institution(username: str = "jiliang_yuan", mobile: str = "13712345678", **extra) -> dict:
    return {
        **organisation(username, mobile, uscc("12320200MB1QH0002")),
        "name": "无锡示例计量测试院",
        "application_form": pdf("入驻申请表.pdf"),
        "qualification_type": "CMA",
        "qualification_number": "241012340567",
        "qualification_issuer": "江苏省市场监督管理局",
        "valid_from": "2024-03-01",
        "valid_until": "2030-02-28",
        "qualification_scope": "长度、热学、力学计量器具检定校准",
        "qualification_certificate": pdf("CMA证书.pdf"),
        **scope_rows(
            ("计量", "压力表", "示值误差", "JJG 52-2013", "0~60 MPa"),
            ("检验检测", "电线电缆", "导体电阻", "GB/T 3048.4-2007", ""),
        ),
        **extra,
    }


def latest_code(mobile: str) -> str:
    """Read the code from the last SMS sent to this number, as the person would."""
    from qihub.core import pii
    from qihub.notifications.models import DeliveredMessage

    message = DeliveredMessage.objects.filter(channel="sms", address=pii.mask(mobile, 3, 4)).latest(
        "id"
    )
    return message.text.split("验证码是 ")[1][:6]


def submit(client, kind: str, data: dict, url: str | None = None):
    """Ask for the SMS code for data["mobile"], fill it in and post the registration."""
    client.post("/register/mobile-code/", {"mobile": data["mobile"]})
    try:
        data = {**data, "mobile_code": latest_code(data["mobile"])}
    except Exception:  # no code could be sent (bad or taken number): post without one
        data = {**data, "mobile_code": ""}
    return client.post(url or f"/register/{kind}/", data)
