"""History tables of the master data (ARC-2, ADR 0014).

django-simple-history builds one `Historical…` model per tracked model; `app=` puts them all in
this app, so adding a tracked model is one line in `registry.TRACKED` and one migration here,
not a migration in every app.
"""

from importlib import import_module

from django.apps import apps
from django.db.models.signals import post_save, pre_save
from simple_history import register
from simple_history.exceptions import MultipleRegistrationsError

from qihub.history.registry import TRACKED

# Never copied into a version: secrets, and fields written on every sign-in or page view.
EXCLUDED: dict[str, list[str]] = {
    "accounts.User": ["password", "last_login"],
}


def _register_all() -> None:
    for label in TRACKED:
        app_label, name = label.split(".")
        try:
            # Apps later in INSTALLED_APPS have not loaded their models yet.
            import_module(f"{apps.get_app_config(app_label).name}.models")
            model = apps.get_model(app_label, name, require_ready=False)
        except LookupError:  # an app not installed: the walk test names what is missing
            continue
        try:
            register(
                model,
                app="qihub.history",
                table_name=f"history_{app_label}_{model._meta.model_name}",
                custom_model_name=lambda name, a=app_label: f"Historical{a.title()}{name}",
                excluded_fields=EXCLUDED.get(label, []),
                user_related_name="+",
            )
        except MultipleRegistrationsError:
            pass


_register_all()


def _skip_saves_of_excluded_fields_only(
    sender: type, instance: object, update_fields: frozenset[str] | None = None, **kwargs: object
) -> None:
    """A save that writes only excluded fields (`last_login` at every sign-in) is no new version."""
    excluded = EXCLUDED.get(sender._meta.label, [])  # type: ignore[attr-defined]
    if update_fields and set(update_fields) <= set(excluded):
        instance.skip_history_when_saving = True  # type: ignore[attr-defined]
        instance._history_skipped_here = True  # type: ignore[attr-defined]


def _forget_the_skip(sender: type, instance: object, **kwargs: object) -> None:
    if getattr(instance, "_history_skipped_here", False):
        del instance.skip_history_when_saving  # type: ignore[attr-defined]
        del instance._history_skipped_here  # type: ignore[attr-defined]


for _label in EXCLUDED:
    _model = apps.get_model(_label, require_ready=False)
    pre_save.connect(
        _skip_saves_of_excluded_fields_only, sender=_model, dispatch_uid=f"hist-{_label}"
    )
    # After simple-history's own post_save receiver, which was connected at registration.
    post_save.connect(_forget_the_skip, sender=_model, dispatch_uid=f"hist-forget-{_label}")
