from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qihub.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from qihub.core import checks  # noqa: F401 - registers the deploy checks
        from qihub.core.audit import record_admin_change

        post_save.connect(record_admin_change, sender=LogEntry, dispatch_uid="audit-admin")
        chinese_empty_choice()


EMPTY_CHOICE = "请选择"


def chinese_empty_choice() -> None:
    """Every select's empty choice reads 请选择, not Django's "---------" (issue 15), once for all
    forms: model fields with choices take the blank choice from `BLANK_CHOICE_DASH` (changed in
    place, as every module holds the same list) and a ModelChoiceField its `empty_label`
    default. A form that names its own prompt (请选择省份) keeps it."""
    from django import forms
    from django.db.models import fields

    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
    defaults = forms.ModelChoiceField.__init__.__kwdefaults__
    if defaults is not None:
        defaults["empty_label"] = EMPTY_CHOICE
