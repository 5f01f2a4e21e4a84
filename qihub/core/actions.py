"""One POST action on a record page: validate the form, call the workflow, say what happened
as a message and let the caller redirect back (shared by demands, orders, evaluations)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest


def run_action(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict], object],
    done: str,
    refused: tuple[type[Exception], ...],
) -> bool:
    """True when the action succeeded; every field error or refusal becomes a message."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return False
    try:
        action(form.cleaned_data)
    except refused as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, done)
    return True
