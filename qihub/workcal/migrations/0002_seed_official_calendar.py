from django.db import migrations


def seed(apps, schema_editor):
    from qihub.workcal.seed import SOURCE_DOCUMENT, seed_rows

    CalendarException = apps.get_model("workcal", "CalendarException")
    CalendarYear = apps.get_model("workcal", "CalendarYear")
    rows, years = seed_rows()
    CalendarException.objects.bulk_create(
        [CalendarException(date=d, is_working=w, name=n, source="seed") for d, w, n in rows],
        ignore_conflicts=True,
    )
    for year in years:
        CalendarYear.objects.get_or_create(
            year=year, defaults={"official": True, "source_document": SOURCE_DOCUMENT}
        )


class Migration(migrations.Migration):
    dependencies = [("workcal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
