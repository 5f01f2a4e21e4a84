"""`qihub pii rotate`: re-encrypt every sealed value with the newest key of QIHUB_PII_KEYS.

Rotation: put a new key first in QIHUB_PII_KEYS (old keys after it), run this command, then
remove the old keys. Keyed digests (look-up) do not change.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from qihub.core import pii


def sealed_fields() -> list[tuple[type, str]]:
    return [
        (model, field.attname)
        for model in apps.get_models()
        for field in model._meta.fields
        if field.attname.endswith("_cipher")
    ]


class Command(BaseCommand):
    help = "个人信息加密密钥轮换：用最新密钥重新加密全部身份证号、手机号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rotate"])

    def handle(self, *args: object, **options: object) -> None:
        total = 0
        for model, attname in sealed_fields():
            with transaction.atomic():
                rows = (
                    model.objects.select_for_update().exclude(**{attname: ""}).only("pk", attname)
                )
                for row in rows.iterator(chunk_size=500):
                    # An update, not a save: a new key is not a new version of the record (ARC-2
                    # history would otherwise grow by a copy of every person at each rotation).
                    model.objects.filter(pk=row.pk).update(
                        **{attname: pii.rotate(getattr(row, attname))}
                    )
                    total += 1
        self.stdout.write(f"已用最新密钥重新加密 {total} 项个人信息")
