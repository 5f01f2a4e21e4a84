"""The no-double-booking guarantee on PostgreSQL (ADR 0013): an exclusion constraint over
(resource, [start, end)) for the statuses that hold a slot, with btree_gist for the `=` on the
resource. SQLite cannot express it, so both operations run on PostgreSQL only and the migration is
a no-op elsewhere; the constraint stays out of the migration state (and out of the model's Meta)
so that `makemigrations` sees nothing to change on either engine."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models
from django.db.models import Func, Q

ACTIVE = ["requested", "confirmed", "checked_in"]


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.Field()  # only ever compared inside the constraint


NO_OVERLAP = ExclusionConstraint(
    name="bookings_no_overlap",
    expressions=[
        ("resource", RangeOperators.EQUAL),
        (TsTzRange("start", "end", models.Value("[)")), RangeOperators.OVERLAPS),
    ],
    condition=Q(status__in=ACTIVE),
)


class OnPostgreSQL(migrations.operations.base.Operation):
    """Run the wrapped operations' database side on PostgreSQL only; leave the state alone."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, *operations: migrations.operations.base.Operation) -> None:
        self.operations = operations

    def state_forwards(self, app_label, state):  # noqa: ANN001, ANN201
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # noqa: ANN001, ANN201
        if schema_editor.connection.vendor != "postgresql":
            return
        for op in self.operations:
            if isinstance(op, migrations.AddConstraint):
                model = to_state.apps.get_model(app_label, op.model_name)
                schema_editor.add_constraint(model, op.constraint)
            else:
                op.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # noqa: ANN001, ANN201
        if schema_editor.connection.vendor != "postgresql":
            return
        for op in reversed(self.operations):
            if isinstance(op, migrations.AddConstraint):
                model = from_state.apps.get_model(app_label, op.model_name)
                schema_editor.remove_constraint(model, op.constraint)
            # The extension stays: other tables may use it.

    def describe(self) -> str:
        return "PostgreSQL only: " + "; ".join(op.describe() for op in self.operations)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [
        OnPostgreSQL(
            BtreeGistExtension(),
            migrations.AddConstraint(model_name="booking", constraint=NO_OVERLAP),
        )
    ]
