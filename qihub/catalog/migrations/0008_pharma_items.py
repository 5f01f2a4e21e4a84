"""The services of LYG 6.2.1 (BIO-1): new items with their first guide, and a new guide version for
the three pharma items seeded before (never a duplicate item); each names its guided flow."""

from django.db import migrations, models
from django.db.models import Max
from django.utils import timezone

POSITION = 200  # after the items seeded first, in the order of LYG 6.2.1


def seed(apps, schema_editor):
    from qihub.catalog.pharma_items import ITEMS

    ServiceItem = apps.get_model("catalog", "ServiceItem")
    GuideVersion = apps.get_model("catalog", "GuideVersion")
    now = timezone.now()
    for offset, entry in enumerate(ITEMS):
        system, url, steps = entry["external"] or ("", "", "")
        fields = {
            "category": "pharma",
            "name": entry["name"],
            "summary": entry["summary"],
            "source": entry["source"],
            "external_system": system,
            "external_url": url,
            "external_steps": steps,
            "flow": "external" if url else "order",
            "guided_flow": entry["guided_flow"],
            "position": POSITION + offset,
        }
        item, created = ServiceItem.objects.update_or_create(code=entry["code"], defaults=fields)
        latest = item.guides.aggregate(latest=Max("version"))["latest"] or 0
        guide = entry["guide"]
        GuideVersion.objects.create(
            item=item,
            version=latest + 1,
            is_free=not guide["fee"],
            change_note="首次发布"
            if created
            else "按 DB3207/T 2018—2024 第 6.2.1 条补全办理情形、条件、材料与省级系统办理步骤",
            published_at=now,
            **guide,
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_serviceitem_flow")]

    operations = [
        migrations.AddField(
            model_name="serviceitem",
            name="guided_flow",
            field=models.CharField(blank=True, max_length=1, verbose_name="按流程办理"),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
