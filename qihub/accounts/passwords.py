import re

from django.core.exceptions import ValidationError

from qihub.accounts.models import SECOND_FACTOR_ROLES

CLASSES = {
    "小写字母": re.compile(r"[a-z]"),
    "大写字母": re.compile(r"[A-Z]"),
    "数字": re.compile(r"\d"),
    "符号": re.compile(r"[^A-Za-z0-9]"),
}


class PasswordComplexityValidator:
    """GB/T 22239 level 3 asks for complex passwords of every user: staff-side accounts use at
    least 3 of the 4 character classes, everyone else at least 2 (letters and digits, say)."""

    def validate(self, password: str, user: object = None) -> None:
        used = [name for name, pattern in CLASSES.items() if pattern.search(password)]
        if getattr(user, "role", None) in SECOND_FACTOR_ROLES:
            if len(used) < 3:
                raise ValidationError(
                    "工作人员密码须包含大写字母、小写字母、数字、符号中的至少三类",
                    code="password_too_simple",
                )
        elif len(used) < 2:
            raise ValidationError(
                "密码须包含字母、数字、符号中的至少两类（如字母加数字）",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return "密码须包含字母、数字、符号中的至少两类；工作人员须包含大写字母、小写字母、数字、符号中的至少三类。"
