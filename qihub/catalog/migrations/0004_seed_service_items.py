from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from qihub.catalog.seed_items import ITEMS

    ServiceItem = apps.get_model("catalog", "ServiceItem")
    GuideVersion = apps.get_model("catalog", "GuideVersion")
    now = timezone.now()
    for position, (code, category, name, summary, source, guide, external) in enumerate(ITEMS):
        if ServiceItem.objects.filter(code=code).exists():
            continue
        system, url, steps = external or ("", "", "")
        item = ServiceItem.objects.create(
            code=code,
            category=category,
            name=name,
            summary=summary,
            source=source,
            external_system=system,
            external_url=url,
            external_steps=steps,
            position=position,
        )
        acceptance, materials, process, time_limit, fee, basis = guide
        GuideVersion.objects.create(
            item=item,
            version=1,
            acceptance_conditions=acceptance,
            materials=materials,
            process=process,
            time_limit=time_limit,
            is_free=not fee,
            fee=fee,
            legal_basis=basis,
            change_note="首次发布",
            published_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_serviceitem_guideversion")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
