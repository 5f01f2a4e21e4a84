"""Personal data at rest (ID numbers, mobile numbers): encrypted with a rotatable key ring
(cryptography's MultiFernet), found through a keyed hash (HMAC-SHA256 "blind index"), shown
masked. Reading the full value goes through `reveal`, which writes an audit event.

Keys: QIHUB_PII_KEYS (comma-separated Fernet keys, the first encrypts, all decrypt) and
QIHUB_PII_INDEX_KEY. Embedded mode generates both once into QIHUB_DATA_DIR/pii_keys.
"""

import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class KeyRing:
    fernet: MultiFernet
    index_key: bytes


@lru_cache(maxsize=1)
def key_ring() -> KeyRing:
    keys = [k.strip() for k in os.environ.get("QIHUB_PII_KEYS", "").split(",") if k.strip()]
    index_key = os.environ.get("QIHUB_PII_INDEX_KEY", "")
    if not keys or not index_key:
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "QIHUB_PRODUCTION=1 需要设置 QIHUB_PII_KEYS 和 QIHUB_PII_INDEX_KEY"
            )
        stored = settings.DATA_DIR / "pii_keys"
        if not stored.exists():
            stored.write_text(
                json.dumps(
                    {
                        "keys": [Fernet.generate_key().decode()],
                        "index_key": Fernet.generate_key().decode(),
                    }
                )
            )
            stored.chmod(0o600)
        data = json.loads(stored.read_text())
        keys, index_key = keys or data["keys"], index_key or data["index_key"]
    return KeyRing(MultiFernet([Fernet(k.encode()) for k in keys]), index_key.encode())


def encrypt(value: str) -> str:
    return key_ring().fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return key_ring().fernet.decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt with the first (newest) key; old keys can then be retired."""
    return key_ring().fernet.rotate(token.encode()).decode()


def digest(value: str) -> str:
    """Keyed hash for uniqueness and look-up; equal values give equal digests."""
    return hmac.new(key_ring().index_key, value.upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """`320211199001011234` → `3202**********1234`; short values keep less."""
    if len(value) <= keep_start + keep_end:
        keep_start, keep_end = min(keep_start, len(value) // 3), min(keep_end, len(value) // 3)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")


@dataclass(frozen=True)
class Sealed:
    cipher: str
    digest: str
    masked: str


def seal(value: str, *, keep_start: int = 4, keep_end: int = 4) -> Sealed:
    return Sealed(encrypt(value), digest(value), mask(value, keep_start, keep_end))


# What identifies a person or a company in free text (published answers, DEM-10).
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
USCC = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
COMPANY = re.compile(
    r"[\u4e00-\u9fff（）()]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团|研究院|研究所|检测中心|检测所|厂)"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def anonymise(text: str, names: "list[str] | tuple[str, ...]" = ()) -> str:
    """Text fit to publish: the given names (people, organisations) become 某某 / 某单位, and
    phone numbers, ID numbers, credit codes, e-mail addresses and company names are removed."""
    out = text or ""
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True
    ):
        out = out.replace(name, "某单位" if len(name) > 4 else "某某")
    out = ID_NUMBER.sub("［证件号已隐去］", out)
    out = USCC.sub("［代码已隐去］", out)
    out = MOBILE.sub("［电话已隐去］", out)
    out = LANDLINE.sub("［电话已隐去］", out)
    out = EMAIL.sub("［邮箱已隐去］", out)
    return COMPANY.sub("某单位", out)
