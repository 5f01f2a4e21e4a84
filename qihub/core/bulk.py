"""Insert many rows given as plain tuples: one `COPY` on PostgreSQL, one `executemany` on SQLite.

Why by hand: `bulk_create` builds a model instance per row and compiles every value through the
field (a clock sweep writes 20,000 events and 100,000 notifications at once: half its time was
that, issue 23). No library does a typed tuple insert for Django models; this is the part of
`bulk_create` we need and no more. It sends no signals, as `bulk_create` sends none.

PostgreSQL gets `COPY … FROM STDIN`: an `executemany` there is one INSERT per row on the server
(psycopg pipelines them, but the server still plans and runs each), which was 8 of the sweep's
10 seconds; SQLite runs in process, where `executemany` is already a tight loop."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT `rows` (one value per name in `fields`, foreign keys as their `…_id` attribute)
    into `model`'s table in the caller's transaction. Datetimes are adapted for the database
    once per distinct value: a sweep's rows share a handful of moments."""
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    columns = [
        field.column for field in concrete if isinstance(field, models.Field) and field.column
    ]
    if len(columns) != len(fields):
        raise ValueError(f"{model.__name__}: only concrete columns can be inserted: {fields}")
    adapt = connection.ops.adapt_datetimefield_value
    moments = {i for i, field in enumerate(concrete) if isinstance(field, models.DateTimeField)}
    adapted: dict[Any, Any] = {}

    def moment(value: Any) -> Any:
        if value is None:
            return None
        if value not in adapted:
            adapted[value] = adapt(value)
        return adapted[value]

    values = [tuple(moment(v) if i in moments else v for i, v in enumerate(row)) for row in rows]
    if not values:
        return 0
    table = connection.ops.quote_name(meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The driver's own cursor (Django's wrapper has no `copy`); inside the caller's
            # transaction like any statement.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)  # noqa: S608 - names from the model
    return len(values)
