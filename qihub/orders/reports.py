"""Issuing and verifying electronic reports (ORD-5).

The platform renders a cover page with WeasyPrint (Chinese fonts embedded from the system's
Noto CJK), puts the institution's uploaded pages behind it with pypdf, stores the result and
signs "number|sha256" with an Ed25519 key. The QR code on the cover opens `/verify/<number>/`,
which recomputes the file's hash and checks the signature: valid, tampered or unknown.
"""

import base64
import hashlib
import io
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

KEY_ENV = "QIHUB_REPORT_SIGNING_KEY"


def _private_key() -> Ed25519PrivateKey:
    """From QIHUB_REPORT_SIGNING_KEY (base64 of the 32 raw bytes); embedded mode keeps a
    generated key beside its data, as it does for the secret key."""
    import os

    raw = os.environ.get(KEY_ENV, "")
    if not raw:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured(f"QIHUB_PRODUCTION=1 需要设置 {KEY_ENV}")
        path = Path(settings.DATA_DIR) / "report_signing_key"
        if not path.exists():
            key = Ed25519PrivateKey.generate()
            path.write_bytes(base64.b64encode(key.private_bytes_raw()))
            path.chmod(0o600)
        raw = path.read_text().strip()
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw))


def public_key() -> Ed25519PublicKey:
    return _private_key().public_key()


def public_key_pem() -> str:
    return (
        public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def message(number: str, sha256: str) -> bytes:
    return f"{number}|{sha256}".encode()


def sign(number: str, sha256: str) -> str:
    return (
        base64.urlsafe_b64encode(_private_key().sign(message(number, sha256))).decode().rstrip("=")
    )


def signature_valid(number: str, sha256: str, signature: str) -> bool:
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        public_key().verify(raw, message(number, sha256))
    except (InvalidSignature, ValueError):
        return False
    return True


def qr_svg(url: str) -> str:
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(url, image_factory=SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def render(context: dict, source_pdf: bytes, verify_url: str) -> bytes:
    """Cover (WeasyPrint) + the institution's pages (pypdf) → one PDF."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    html = render_to_string(
        "orders/report_cover.html", {**context, "qr": qr_svg(verify_url), "verify_url": verify_url}
    )
    cover = HTML(string=html).write_pdf()
    writer = PdfWriter()
    for data in (cover, source_pdf):
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    writer.add_metadata({"/Title": f"电子报告 {context['number']}", "/Producer": "qihub"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_real_pdf(data: bytes) -> str:
    """ "" when the bytes are a readable PDF with at least one page, else the reason."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF-"):
        return "报告文件：不是 PDF 文件（请勿只修改扩展名）"
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except (PdfReadError, ValueError, KeyError, OSError):
        return "报告文件：PDF 已损坏，无法读取"
    return "" if pages else "报告文件：PDF 没有页面"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
