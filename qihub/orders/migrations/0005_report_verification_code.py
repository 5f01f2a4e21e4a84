import secrets

from django.db import migrations, models

import qihub.orders.models

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def give_each_report_its_own_code(apps, schema_editor):
    # AddField's default is computed once for every existing row; each report needs its own.
    Report = apps.get_model("orders", "Report")
    for report in Report.objects.all():
        report.verification_code = "".join(secrets.choice(ALPHABET) for _ in range(10))
        report.save(update_fields=["verification_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_order_event_shape"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="verification_code",
            field=models.CharField(
                default=qihub.orders.models.new_verification_code,
                max_length=16,
                verbose_name="核验码",
            ),
        ),
        migrations.RunPython(give_each_report_its_own_code, migrations.RunPython.noop),
    ]
