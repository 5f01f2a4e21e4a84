"""The table of the shared cache (qihub.core.cache), made by `migrate` wherever it runs.

Created whatever CACHES says, so a platform that later loses or gains Redis needs no extra step;
the table is Django's own cache table layout (`createcachetable`).
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "qihub_cache"


def create(apps, schema_editor) -> None:
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_counter")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
