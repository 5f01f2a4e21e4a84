"""What every API endpoint answers for a form that does not validate."""

from django import forms
from ninja import Status


def invalid(form: forms.BaseForm) -> Status:
    """422 with each field's Chinese messages, as the page would show them."""
    return Status(
        422,
        {"errors": {field: [str(m) for m in messages] for field, messages in form.errors.items()}},
    )
