"""The region picker: province → city → county selects that submit one division code.

All three selects carry the field's own name (`region`), so a form post reads
`region=320000&region=320200&region=320214` and the widget keeps the narrowest choice that
belongs to the ones above it (a county left over from another province is dropped). A client
that posts one code (`region=320214`, as the API, the tests and the JSON body do) is read the
same way.

Without JavaScript the page still works: the selects are filled on the server from the bound
code, so a client picks a province, submits, is told "所在地区：请选择城市", and finds the
cities listed. With JavaScript (`qihub/regions.js`) the next level is filled as soon as one is
picked, from `/regions/children/?code=…` — a level at a time (a few hundred bytes, cached by
the browser for a day) rather than the whole tree of 3,200 divisions embedded in every form.
"""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from qihub.core import regions

LEVELS = (("province", "省份"), ("city", "城市"), ("county", "区县"))


def narrowest(values: list[str]) -> str:
    """The picked code from the selects' values, province first; a lone value as it is."""
    values = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if len(values) <= 1:
        return values[0] if values else ""
    chosen = ""
    for value in values:
        if not regions.is_valid(value):
            return value  # refused by the field with its message
        if chosen and not (
            regions.prefix(value).startswith(regions.prefix(chosen)) and value != chosen
        ):
            break  # left over from an earlier choice above it
        chosen = value
    return chosen


class RegionSelect(forms.Widget):
    """Three selects (省份/城市/区县) under one name; see the module's docstring."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        if hasattr(data, "getlist"):
            return narrowest(data.getlist(name))
        value = data.get(name)
        return narrowest(value if isinstance(value, list) else [value])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.get("id") or f"id_{name}"
        picked = regions.chain(str(value or ""))
        parents = ["", *picked]
        selects = []
        for index, (level, label) in enumerate(LEVELS):
            select_id = base_id if index == 0 else f"{base_id}_{level}"
            parent = parents[index] if index < len(parents) else None
            options = regions.children(parent) if parent is not None else []
            if index and not parent:
                options = []
            current = picked[index] if index < len(picked) else ""
            selects.append(
                format_html(
                    '<div class="region-level"><label class="visually-hidden" for="{}">{}</label>'
                    '<select id="{}" name="{}" data-level="{}"{}>'
                    '<option value="">请选择{}</option>{}</select></div>',
                    select_id,
                    label,
                    select_id,
                    name,
                    level,
                    format_html(' aria-describedby="{}"', attrs["aria-describedby"])
                    if attrs.get("aria-describedby")
                    else "",
                    label,
                    format_html_join(
                        "",
                        '<option value="{}"{}>{}</option>',
                        (
                            (code, " selected" if code == current else "", text)
                            for code, text in options
                        ),
                    ),
                )
            )
        return format_html(
            '<div class="region-picker" data-region-picker data-children-url="{}">{}</div>',
            reverse("region_children"),
            format_html_join("", "{}", ((s,) for s in selects)),
        )


class RegionField(forms.CharField):
    """A division picked in the region picker, cleaned to its 6-digit code.

    `levels=3` asks for a county (or a division with none below it, such as 东莞市 or 香港);
    `levels=2` for a city or finer; `levels=1` takes a province too. Messages name the field:
    "所在地区：请选择区县". The API reads the same field from a one-code body; `api_schema` is the
    OpenAPI schema it shows there (kept as it was before the picker).
    """

    widget = RegionSelect

    def __init__(self, *, levels: int = 3, api_schema: dict | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 6)
        super().__init__(**kwargs)
        self.levels = levels
        self.api_schema = api_schema or {
            "type": "string",
            "maxLength": 6,
            "minLength": 6,
            "title": str(self.label),
        }
        # Messages name the field without its "（可选）".
        self.name_in_messages = str(self.label or "所在地区").split("（")[0]
        self.error_messages["required"] = f"{self.name_in_messages}：请选择省份"
        self.error_messages["max_length"] = (
            f"{self.name_in_messages}：应为 6 位行政区划代码，如 320214"
        )

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip()

    def validate(self, value: str) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        label = self.name_in_messages
        if not (value.isascii() and value.isdigit() and len(value) == 6):
            raise forms.ValidationError(f"{label}：应为 6 位行政区划代码，如 320214")
        if not regions.is_valid(value):
            raise forms.ValidationError(f"{label}：没有这个行政区划，请从列表中选择")
        level = regions.level(value)
        if level < self.levels and not regions.is_leaf(value):
            raise forms.ValidationError(f"{label}：请选择{LEVELS[level][1]}")
