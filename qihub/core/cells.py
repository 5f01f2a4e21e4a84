"""A list cell's value, the way django-tables2 3.0.1 (pinned) works it out, prepared once per column.

`BoundRow.get_cell` redoes for every cell what depends only on the column: it builds two
`Accessor` objects, asks the model's `_meta` for the field behind the accessor, inspects the
render method's signature, builds the keyword dictionary the render method may want, and reads
`default` through two properties. On a 20-row list that was about half of the rows' CPU
(issue 23, bench/README.md). `cell_function(bound_column)` does that work once and returns a
function `row -> cell` that gives what `row.get_cell(name)` gives:

1. the value: the accessor resolved along its `__` path (dictionary key, then attribute, then
   list index; callables called unless `alters_data`; a `None` on the way ends it), with a model
   field's `get_FOO_display()` used when the field has choices; a failed look-up is `None`;
2. a value in the column's `empty_values` gives the column's (or table's) `default`;
3. otherwise the table's `render_FOO` or the column's `render`, called with the arguments it
   asks for (value, record, column, bound_column, bound_row, table), then `linkify`'s link.

Columns it does not model exactly (many-to-many, link columns, accessors with the old `.`
separator, callable accessors or arguments) use django-tables2's own `row.get_cell`.
`core/tests/test_row_renderer.py` renders every list table both ways and compares the bytes.
"""

from collections.abc import Callable
from typing import Any

import django_tables2 as tables
from django.db import models
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django_tables2 import utils as tables_utils
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn

Cell = Callable[[Any], Any]  # a BoundRow -> the cell's content

ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")
DATE_TEMPLATE = '{{ value|date:"%s"|default:default }}'  # DateColumn's and DateTimeColumn's


class FunctionColumn(tables.Column):
    """A cell drawn by a Python function of the row's record: the fast form of a
    `TemplateColumn` on a hot list (`draw` returns escaped HTML, e.g. with `format_html`).

    Like a TemplateColumn it draws every row (no `default` for empty values) and reads no value
    from the record by itself."""

    empty_values = ()

    def __init__(self, draw: Callable[[Any], Any], **kwargs: Any) -> None:
        self.draw = draw
        super().__init__(**kwargs)

    def render(self, record: Any) -> Any:
        return self.draw(record)

    def value(self, **kwargs: Any) -> Any:
        # Exports get the text, as a TemplateColumn's `value` gives.
        html = super().value(**kwargs)
        return strip_tags(html).strip() if isinstance(html, str) else html


class _Missing(Exception):
    """A look-up that django-tables2 would have failed (it then takes the value as None)."""


def _resolver(accessor: str, bits: tuple[str, ...]) -> Callable[[Any], Any]:
    """`Accessor(accessor).resolve(record)` without the per-call Accessor; raises `_Missing`
    where it would raise. A type without `__getitem__` goes straight to the attribute: the
    stock code tries `obj[bit]` first and lands there through a TypeError."""

    def resolve(context: Any) -> Any:
        if isinstance(context, dict) and accessor in context:
            return context[accessor]
        current = context
        for bit in bits:
            if hasattr(type(current), "__getitem__"):
                try:
                    current = current[bit]
                except (TypeError, AttributeError, KeyError):
                    try:
                        current = getattr(current, bit)
                    except (TypeError, AttributeError):
                        try:
                            current = current[int(bit)]
                        except (IndexError, ValueError, KeyError, TypeError):
                            raise _Missing from None
            else:
                try:
                    current = getattr(current, bit)
                except (TypeError, AttributeError):
                    raise _Missing from None
            if callable(current):
                if getattr(current, "alters_data", False):
                    raise _Missing
                if not getattr(current, "do_not_call_in_templates", False):
                    current = current()
            if current is None:
                break
        return current

    return resolve


def _value_function(bound_column: Any) -> Callable[[Any], Any]:
    """record -> value, as `BoundRow._get_and_render_with` finds it (None when it fails)."""
    accessor = bound_column.accessor
    path, _, remainder = accessor.rpartition(accessor.SEPARATOR)
    penultimate_of = _resolver(path, tuple(tables.A(path).bits))
    resolve = _resolver(str(accessor), tuple(accessor.bits))
    display_name = f"get_{remainder}_display"
    choices_by_type: dict[type, bool] = {}

    def has_choices(record: Any) -> bool:
        # The field is looked up from the record's model (not the penultimate object's), as
        # django-tables2 does; the answer depends only on the record's class.
        kind = type(record)
        if kind not in choices_by_type:
            field = accessor.get_field(record)
            choices_by_type[kind] = bool(getattr(field, "choices", ()))
        return choices_by_type[kind]

    def value_of(record: Any) -> Any:
        try:
            penultimate = penultimate_of(record)
        except Exception:  # noqa: BLE001 - django-tables2 resolves it quietly
            penultimate = None
        if isinstance(penultimate, models.Model) and has_choices(record):
            display = getattr(penultimate, display_name, None)
            if display:
                return display()
        if not remainder:
            return None
        try:
            return resolve(record)
        except Exception:  # noqa: BLE001 - a non-field column (django-tables2 issue #257)
            return None

    return value_of


def _render_function(bound_column: Any) -> Callable[[Any, Any], Any]:
    """(row, value) -> content: the render method with the arguments it asks for, then the link."""
    render = bound_column.render
    column = bound_column.column
    table = bound_column._table
    link = bound_column.link
    wanted, takes_all = tables_utils.signature(render)

    def everything(row: Any, value: Any) -> dict[str, Any]:
        return {
            "value": value,
            "record": row._record,
            "column": column,
            "bound_column": bound_column,
            "bound_row": row,
            "table": table,
        }

    # call_with_appropriate does not call a render method that asks for anything else.
    callable_here = takes_all or all(name in ARGUMENTS for name in wanted)
    if link or takes_all:

        def draw(row: Any, value: Any) -> Any:
            kwargs = everything(row, value)
            if takes_all:
                content = render(**kwargs)
            else:
                content = _call(render, wanted, kwargs) if callable_here else None
            return link(content, **kwargs) if link else content

        return draw
    if not callable_here:
        return lambda row, value: None
    if wanted == ("value",):
        return lambda row, value: render(value=value)
    if wanted == ("record",):
        return lambda row, value: render(record=row._record)
    return lambda row, value: _call(render, wanted, everything(row, value))


def _call(render: Callable[..., Any], wanted: tuple[str, ...], kwargs: dict[str, Any]) -> Any:
    return render(**{name: kwargs[name] for name in wanted})


def _date_function(bound_column: Any, fmt: str) -> Callable[[Any, Any], Any]:
    """A stock DateColumn/DateTimeColumn's `{{ value|date:fmt|default:default }}`, evaluated as
    the template engine does (local time, escaping, the page context's settings)."""
    table = bound_column._table
    column = bound_column.column

    def draw(row: Any, value: Any) -> SafeString:
        context = _context_of(table)
        out = date_filter(template_localtime(value, context.use_tz), fmt)
        out = out or bound_column.default
        return SafeString(render_value_in_context(out, context))

    if callable(column._default):
        return draw
    default = bound_column.default

    def draw_fixed(row: Any, value: Any) -> SafeString:
        context = _context_of(table)
        out = date_filter(template_localtime(value, context.use_tz), fmt) or default
        return SafeString(render_value_in_context(out, context))

    return draw_fixed


def _context_of(table: Any) -> Context:
    context = getattr(table, "context", None)
    return Context() if context is None else context


def _date_format(bound_column: Any) -> str | None:
    """The format of a stock, unchanged DateColumn/DateTimeColumn; None for anything else."""
    column = bound_column.column
    if type(column) not in (tables.DateColumn, tables.DateTimeColumn) or column.extra_context:
        return None
    if bound_column.render != column.render or bound_column.link:
        return None
    code = column.template_code or ""
    prefix, suffix = DATE_TEMPLATE.split("%s")
    if not (code.startswith(prefix) and code.endswith(suffix)):
        return None
    fmt = code[len(prefix) : -len(suffix)]
    return None if '"' in fmt else fmt


def _stock(bound_column: Any) -> bool:
    """Whether django-tables2's own `get_cell` must do this column."""
    column = bound_column.column
    accessor = bound_column.accessor
    return (
        isinstance(column, (ManyToManyColumn, BaseLinkColumn))
        or not isinstance(accessor, str)
        or accessor.SEPARATOR != tables.A.SEPARATOR
        or bool(accessor.callable_args or accessor.callable_kwargs)
    )


def cell_function(bound_column: Any) -> Cell:
    """row -> the cell's content, the same as `row.get_cell(bound_column.name)`."""
    name = bound_column.name
    if _stock(bound_column):
        return lambda row: row.get_cell(name)
    column = bound_column.column
    if (
        isinstance(column, FunctionColumn)
        and bound_column.render == column.render
        and not bound_column.link
    ):
        draw_record = column.draw
        return lambda row: draw_record(row._record)
    value_of = _value_function(bound_column)
    fmt = _date_format(bound_column)
    draw = _date_function(bound_column, fmt) if fmt is not None else _render_function(bound_column)
    empty_values = column.empty_values
    if callable(column._default):

        def cell(row: Any) -> Any:
            value = value_of(row._record)
            if value in empty_values:
                return bound_column.default
            return draw(row, value)

        return cell
    default = bound_column.default

    def cell_fixed_default(row: Any) -> Any:
        value = value_of(row._record)
        if value in empty_values:
            return default
        return draw(row, value)

    return cell_fixed_default
