"""The special-equipment item's guide said "到期前 30 天起预警"; the ledger warns at three levels,
60 / 30 / 7 days before the due date (LYG 6.3.5.1, DB3207/T 2008), and offers the green channel
(DEM-14). Guides are history: a new version is published rather than the old one edited."""

from django.db import migrations
from django.utils import timezone

CODE = "special-equipment-inspection"
OLD = "到期前 30 天起预警"
NEW = "到期前 60 天、30 天、7 天三级预警；绿色通道检验当日响应、1 个工作日内推荐机构"
NOTE = "办理时限更正为三级预警（60/30/7 天），增加绿色通道检验"


def forward(apps, schema_editor):
    GuideVersion = apps.get_model("catalog", "GuideVersion")
    latest = GuideVersion.objects.filter(item__code=CODE).order_by("-version").first()
    if latest is None or latest.time_limit != OLD:
        return  # not seeded, or already revised by the operator: theirs stands
    latest.pk = None
    latest.version += 1
    latest.time_limit = NEW
    latest.change_note = NOTE
    latest.published_at = timezone.now()
    latest.published_by = None
    latest.save()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_pharma_items")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
