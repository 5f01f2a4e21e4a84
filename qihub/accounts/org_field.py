"""The organisation picker: one text box that names an enterprise or institution.

The user types part of the name, its pinyin initials (滨湖电能 → "bhdn") or the start of its
unified social credit code (USCC); `qihub/orgs.js` asks `/accounts/organisations/` for up to
ten matches and lists them under the box; choosing one puts the organisation's *name* in the
box. The form posts that text, so without JavaScript the page works the same way: typing the
exact name or the full USCC resolves, anything else is refused with a message naming the field
("被投诉机构：平台上没有名为“某某”的技术机构，请从提示中选择"). The field's cleaned value is
the Organisation; pages show its name back, never its code or account's username.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from qihub.accounts.identifiers import InvalidIdentifier, validate_uscc
from qihub.accounts.models import MemberKind, Organisation

NOUNS: dict[str, str] = {
    MemberKind.INSTITUTION.value: "技术机构",
    MemberKind.ENTERPRISE.value: "企业",
}
SUGGESTIONS = 10


def _looks_like_uscc(text: str) -> bool:
    return len(text) == 18 and text.isascii() and text.isalnum()


def suggest(query: str, kinds: Iterable[str], *, listed_only: bool = False) -> list[Organisation]:
    """Up to ten organisations for what was typed: names containing it first (those starting
    with it before the rest), then pinyin initials, then USCCs starting with it."""
    # Control characters (a NUL breaks PostgreSQL's LIKE) cannot be part of a name.
    text = "".join(c for c in query if c.isprintable()).strip()[:60]
    if not text:
        return []
    found = Q(name__icontains=text)
    lowered = text.lower()
    if lowered.isascii() and lowered.isalnum():
        found |= Q(name_initials__contains=lowered) | Q(uscc__startswith=text.upper())
    rows: QuerySet[Organisation] = Organisation.objects.filter(found, kind__in=list(kinds))
    if listed_only:
        rows = rows.filter(listed=True, deregistered_at=None)
    candidates = list(rows.only("pk", "name", "region", "uscc", "name_initials")[:200])

    def rank(org: Organisation) -> tuple[int, int, str]:
        if org.name.startswith(text):
            place = 0
        elif text in org.name:
            place = 1
        elif org.name_initials.startswith(lowered):
            place = 2
        elif lowered in org.name_initials:
            place = 3
        else:
            place = 4
        return (place, len(org.name), org.name)

    return sorted(candidates, key=rank)[:SUGGESTIONS]


class OrganisationInput(forms.TextInput):
    """The text box and the list the script fills; see the module's docstring."""

    def __init__(self, kinds: Iterable[str] = (), attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.kinds = list(kinds)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Organisation):
            return value.name
        return super().format_value(value)

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.get("id") or f"id_{name}"
        list_id = f"{base_id}_suggestions"
        attrs.update(
            {
                "id": base_id,
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": list_id,
                "placeholder": attrs.get("placeholder", "输入名称、拼音首字母或统一社会信用代码"),
            }
        )
        attrs["class"] = f"{attrs.get('class', '')} form-control".strip()
        box = super().render(name, value, attrs, renderer)
        url = f"{reverse('accounts:organisations')}?kind={','.join(self.kinds)}"
        return format_html(
            '<div class="org-picker position-relative" data-org-picker data-suggest-url="{}">'
            '{}<div class="list-group position-absolute w-100 shadow-sm org-suggestions" '
            'id="{}" role="listbox" aria-label="可选的单位" hidden></div></div>'
            '<script src="{}" defer></script>',
            url,
            box,
            list_id,
            static("qihub/orgs.js"),
        )


class OrganisationField(forms.Field):
    """An organisation named by its exact name or its USCC, cleaned to the Organisation.

    `kinds` limits it to institutions (the default) or enterprises; messages name the field by
    its label without a "（可选）" and say which kind of organisation it wants.
    """

    widget = OrganisationInput

    def __init__(self, *, kinds: Iterable[str] = (MemberKind.INSTITUTION,), **kwargs: Any) -> None:
        self.kinds = list(kinds)
        super().__init__(**kwargs)
        self.widget.kinds = self.kinds
        self.name_in_messages = str(self.label or "单位").split("（")[0]
        self.noun = "或".join(NOUNS.get(str(k), "单位") for k in self.kinds)
        self.error_messages["required"] = f"{self.name_in_messages}：必须填写"
        # The API takes the same text as the page: the exact name or the USCC.
        self.api_schema = {
            "type": "string",
            "maxLength": 200,
            "title": f"{self.name_in_messages}（名称或统一社会信用代码）",
        }

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Organisation):
            return value.name
        return value

    def to_python(self, value: Any) -> Organisation | None:
        if isinstance(value, Organisation):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        label = self.name_in_messages
        if len(text) > 200:
            raise forms.ValidationError(f"{label}：最多 200 个字")
        if not text.isprintable():
            raise forms.ValidationError(f"{label}：含有不允许的控制字符")
        rows = Organisation.objects.filter(kind__in=self.kinds)
        if _looks_like_uscc(text):
            found = rows.filter(uscc=text.upper()).first()
            if found:
                return found
            try:
                validate_uscc(text)
            except InvalidIdentifier as exc:
                raise forms.ValidationError(f"{label}：{exc}") from None
            raise forms.ValidationError(f"{label}：平台上没有该统一社会信用代码的{self.noun}")
        named = list(rows.filter(name=text)[:2])
        if len(named) == 1:
            return named[0]
        if named:
            raise forms.ValidationError(
                f"{label}：平台上有多家名为“{text}”的{self.noun}，请改填其统一社会信用代码"
            )
        raise forms.ValidationError(
            f"{label}：平台上没有名为“{text}”的{self.noun}，请输入名称的一部分后从提示中选择"
        )


class ClientField(OrganisationField):
    """Whom staff enter something for: an enterprise picked like any organisation (name,
    initials or USCC), or a person by their account name, since people have no organisation to
    pick. Cleaned to the account (User)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kinds=[MemberKind.ENTERPRISE], **kwargs)
        self.widget.attrs["placeholder"] = "企业输入名称或拼音首字母后选择；个人用户填写用户名"

    def to_python(self, value: Any) -> Any:
        from qihub.accounts.models import User
        from qihub.accounts.roles import CLIENTS

        text = str(value or "").strip()
        if not text:
            return None
        try:
            organisation = super().to_python(text)
        except forms.ValidationError as refused:
            person = User.objects.filter(username=text, role__in=CLIENTS).first()
            if person is None:
                raise forms.ValidationError(
                    f"{self.name_in_messages}：平台上没有名为“{text}”的企业，也没有该用户名的个人用户"
                ) from refused
            return person
        return organisation.account if organisation is not None else None
