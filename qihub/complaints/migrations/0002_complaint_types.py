from django.db import migrations

TYPES = ["服务质量", "办理时限", "收费问题", "服务态度", "报告或结果异议", "信息公开", "其他"]


def seed(apps, schema_editor):
    ComplaintType = apps.get_model("complaints", "ComplaintType")
    for position, name in enumerate(TYPES):
        ComplaintType.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
