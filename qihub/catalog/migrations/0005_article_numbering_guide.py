"""Service items added to the seed list after the first seeding (商品条码, issue 14): the same
idempotent seeding, which skips the items that exist."""

import importlib

from django.db import migrations


def seed(apps, schema_editor):
    first = importlib.import_module("qihub.catalog.migrations.0004_seed_service_items")
    first.seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_seed_service_items")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
