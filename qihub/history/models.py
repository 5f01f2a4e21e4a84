"""History tables of the master data (ARC-2, ADR 0014).

django-simple-history builds one `Historical…` model per tracked model; `app=` puts them all in
this app, so adding a tracked model is one line in `registry.TRACKED` and one migration here,
not a migration in every app.
"""

from importlib import import_module

from django.apps import apps
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
