"""Form widgets shared by every app (see docs/ui.md)."""

from django import forms

# 1 to 5 from left to right: the order a thumb expects, whatever order the choices are declared in.
RATING_WORDS = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}


class RatingSelect(forms.RadioSelect):
    """A 1–5 score as five large toggle buttons in a row: one tap per indicator on a phone.

    The inputs stay real radio buttons (keyboard, screen readers, no script); the group carries
    the field's label as its accessible name, set by `rating_field`."""

    template_name = "ui/widgets/rating.html"

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        options = [
            o for _group, group_options, _i in context["widget"]["optgroups"] for o in group_options
        ]
        options.sort(key=lambda option: int(option["value"]))
        for option in options:
            option["word"] = RATING_WORDS.get(int(option["value"]), "")
        context["widget"]["options"] = options
        return context


def rating_field(label: str, required: bool = True) -> forms.TypedChoiceField:
    """A 1–5 score with Chinese errors naming the indicator."""
    return forms.TypedChoiceField(
        label=label,
        choices=[(n, f"{n} 分") for n in range(1, 6)],
        coerce=int,
        required=required,
        widget=RatingSelect(attrs={"aria-label": label}),
        error_messages={"required": f"{label}：请打分", "invalid_choice": f"{label}：请打 1–5 分"},
    )
