"""Issue 14 changed what the search index holds (terms valid per scope line, a term per service
verb, standards without /T and their identical ISO numbers) and added the scope vocabulary:
every institution's postings are rebuilt once, with the code of this release."""

from django.db import migrations


def rebuild(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    ids = list(Organisation.objects.filter(kind="institution").values_list("pk", flat=True))
    if not ids:
        return
    from qihub.institutions.index import reindex_many

    reindex_many(ids)


class Migration(migrations.Migration):
    dependencies = [("institutions", "0011_qualification_changes")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
