"""The archive's workbench card: files past their retention period awaiting a decision."""

from django.db.models import QuerySet

from qihub.accounts.models import User
from qihub.accounts.todo import Todo


def disposals_due(user: User) -> QuerySet:
    from qihub.filing.services import due_items

    return due_items()


DISPOSALS_DUE = Todo(disposals_due, waiting_label="待鉴定")
