# The term index moves from one row per scope line to one posting per institution; rebuild it
# with `qihub search --reindex` after migrating a database that already had institutions.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("institutions", "0005_alter_scopeline_category"),
    ]

    operations = [
        migrations.DeleteModel(name="SearchTerm"),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=40)),
                ("weight", models.PositiveSmallIntegerField()),
                ("region", models.CharField(blank=True, max_length=6)),
                ("categories", models.PositiveIntegerField(default=0)),
                ("qualification_types", models.PositiveIntegerField(default=0)),
                ("listed_until", models.DateField()),
                (
                    "organisation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "term"), name="search_term_unique"
                    )
                ],
                "indexes": [
                    models.Index(
                        fields=[
                            "term",
                            "-weight",
                            "organisation",
                            "listed_until",
                            "region",
                            "categories",
                            "qualification_types",
                        ],
                        name="search_term_rank",
                    )
                ],
            },
        ),
    ]
