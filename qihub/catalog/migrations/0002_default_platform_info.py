"""Starting text of the public information page (CAT-3); staff edit it in the admin."""

from django.db import migrations

from qihub.catalog.defaults import DEFAULT_INFO


def create_default(apps, schema_editor):
    PlatformInfo = apps.get_model("catalog", "PlatformInfo")
    if not PlatformInfo.objects.exists():
        PlatformInfo.objects.create(**DEFAULT_INFO)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
