"""Checks for the identifiers a member gives at registration (ACC-2).

- Resident ID numbers (GB 11643-1999): python-stdnum's `cn.ric` — check digit, a real birth
  date and a division code from the GB/T 2260 table the package ships (valid in the birth year).
- Unified social credit codes (GB 32100-2015): written here, because python-stdnum requires
  the first eight characters to be digits and so rejects codes whose registration-authority
  character is a letter (A, N, Y), which the standard allows (ADR 0005).
- Mobile numbers: mainland format, 11 digits starting 1[3-9].
"""

import datetime as dt
import re

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_AUTHORITIES = set("123456789ANY")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


class InvalidIdentifier(ValueError):
    """The message is shown to the user next to the field."""


def normalise(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    code = normalise(value)
    if len(code) != 18:
        raise InvalidIdentifier(f"统一社会信用代码应为 18 位（当前 {len(code)} 位）")
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise InvalidIdentifier(
            f"统一社会信用代码含有不允许的字符：{''.join(bad)}（不使用 I、O、S、V、Z）"
        )
    if code[0] not in USCC_AUTHORITIES:
        raise InvalidIdentifier(f"统一社会信用代码第 1 位登记管理部门代码“{code[0]}”无效")
    if not code[2:8].isdigit():
        raise InvalidIdentifier("统一社会信用代码第 3–8 位应为行政区划代码（数字）")
    if code[17] != uscc_check_character(code[:17]):
        raise InvalidIdentifier("统一社会信用代码校验位不正确，请核对后重新输入")
    return code


def validate_id_number(value: str) -> str:
    number = normalise(value)
    try:
        return ric.validate(number)
    except stdnum_errors.InvalidLength:
        raise InvalidIdentifier(f"身份证号码应为 18 位（当前 {len(number)} 位）") from None
    except stdnum_errors.InvalidFormat:
        raise InvalidIdentifier("身份证号码前 17 位应为数字，最后一位为数字或 X") from None
    except stdnum_errors.InvalidChecksum:
        raise InvalidIdentifier("身份证号码校验位不正确，请核对后重新输入") from None
    except stdnum_errors.InvalidComponent:
        try:
            birth = ric.get_birth_date(number)
        except stdnum_errors.ValidationError:
            raise InvalidIdentifier("身份证号码中的出生日期不存在") from None
        if birth > dt.date.today():
            raise InvalidIdentifier("身份证号码中的出生日期晚于今天") from None
        raise InvalidIdentifier("身份证号码前 6 位不是有效的行政区划代码") from None


def validate_mobile(value: str) -> str:
    number = normalise(value).removeprefix("+86")
    if not MOBILE.match(number):
        raise InvalidIdentifier("手机号码应为 11 位数字，以 13–19 开头")
    return number
