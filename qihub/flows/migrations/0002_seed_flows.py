"""The six templates of LYG Annexes A–F, first version (BIO-2)."""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from qihub.flows.seed import FLOWS

    FlowTemplate = apps.get_model("flows", "FlowTemplate")
    FlowStep = apps.get_model("flows", "FlowStep")
    for code, title, source, summary, steps in FLOWS:
        if FlowTemplate.objects.filter(code=code).exists():
            continue
        template = FlowTemplate.objects.create(
            code=code,
            version=1,
            title=title,
            source=source,
            summary=summary,
            change_note="首次发布",
            published_at=timezone.now(),
        )
        for position, (name, actor, docs, limit, note, link, label) in enumerate(steps, 1):
            FlowStep.objects.create(
                template=template,
                position=position,
                title=name,
                actor=actor,
                documents=docs,
                limit_days=limit,
                source_note=note,
                link=link,
                link_label=label,
            )


class Migration(migrations.Migration):
    dependencies = [("flows", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
