import re

from django.core.exceptions import ValidationError

from qihub.accounts.models import STAFF_ROLES

CLASSES = {
    "小写字母": re.compile(r"[a-z]"),
    "大写字母": re.compile(r"[A-Z]"),
    "数字": re.compile(r"\d"),
    "符号": re.compile(r"[^A-Za-z0-9]"),
}


class StaffPasswordComplexityValidator:
    """Staff (operator, supervisor, admin) passwords use at least 3 of 4 character classes."""

    def validate(self, password: str, user: object = None) -> None:
        if getattr(user, "role", None) not in STAFF_ROLES:
            return
        used = [name for name, pattern in CLASSES.items() if pattern.search(password)]
        if len(used) < 3:
            raise ValidationError(
                "工作人员密码须包含大写字母、小写字母、数字、符号中的至少三类",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return "工作人员密码须包含大写字母、小写字母、数字、符号中的至少三类。"
