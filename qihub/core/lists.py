"""The project's one way to make a list page: a table on a desktop, stacked cards on a phone.

A page declares a `ListTable` subclass (columns with Chinese headers), optionally a django-filter
`FilterSet` (Chinese labels; a region through `RegionFilter`), and calls `make_list` in its view:

    table = make_list(request, OrderTable, orders, filterset_class=OrderFilter,
                      empty_action=("去找服务", reverse("institutions:search")))
    return render(request, "orders/list.html", {"table": table})

and the template says `{% load django_tables2 %}{% render_table table %}`. The table's template
(`ui/list.html`) draws the filter form (筛选/重置) above, the table (every cell carries its header
as `data-label`, which site.css turns into "label: value" lines below 576 px), the pagination
(上一页/下一页/第 N 页，共 M 条) below, and the empty state (`ui/empty.html`) when there are no rows.
Sorting is by clicking a header (`?sort=`); without one the data keeps the order the view gave it
(newest or most urgent first).
"""

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template import Context, Template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import RequestConfig
from django_tables2 import utils as tables_utils
from django_tables2.columns import templatecolumn

from qihub.core import regions
from qihub.core.cells import FunctionColumn, cell_function  # noqa: F401 - FunctionColumn re-exported
from qihub.core.region_field import RegionField

PER_PAGE = 20


@lru_cache(maxsize=1024)
def _compiled(template_code: str) -> Template:
    return Template(template_code)


# django-tables2 3.0.1 (pinned) does two things per *cell* that give the same answer every time;
# on a 20-row list they were a fifth of the page's CPU (bench/pages.py, bench/README.md):
# 1. its DateColumn/DateTimeColumn are stock TemplateColumns that parse their template per cell.
#    The module's `Template` is only called with a column's fixed template_code, so the compiled
#    template from `_compiled` is the same object it would build.
templatecolumn.Template = _compiled  # type: ignore[assignment]

_stock_signature = tables_utils.signature


@lru_cache(maxsize=4096)
def _signature_of(function: Callable[..., Any], bound: bool) -> tuple[tuple[str, ...], str | None]:
    return _stock_signature(function.__get__(object()) if bound else function)  # type: ignore[attr-defined]


def _memoised_signature(fn: Callable[..., Any]) -> tuple[tuple[str, ...], str | None]:
    """2. `call_with_appropriate` runs `inspect.signature` on each cell's render method. The
    parameters depend only on the function (a bound method's only drop `self`), so they are
    remembered per function, never per bound object (that would keep rows alive)."""
    function = getattr(fn, "__func__", None)
    if function is not None and getattr(fn, "__self__", None) is not None:
        return _signature_of(function, True)
    try:
        return _signature_of(fn, False)
    except TypeError:  # an unhashable callable: ask every time, as before
        return _stock_signature(fn)


tables_utils.signature = _memoised_signature


class TemplateColumn(tables.TemplateColumn):
    """django-tables2's TemplateColumn with its template compiled once, not once per cell.

    The stock column parses `template_code` for every cell it renders (issue 23: a 40-row page
    spent most of its time in the template lexer). Every list uses this one; a test walks the
    tables and refuses the stock column."""

    def render(self, record: Any, table: Any, value: Any, bound_column: Any, **kwargs: Any) -> Any:
        if not self.template_code:
            return super().render(record, table, value, bound_column, **kwargs)
        parent_context = getattr(table, "context", Context())
        context = self.get_context_data(
            record=record, table=table, value=value, bound_column=bound_column, **kwargs
        )
        with parent_context.update(context):
            parent_context["request"] = getattr(table, "request", None)
            return _compiled(self.template_code).render(parent_context)


class ListTable(tables.Table):
    """The base of every list: bootstrap classes, the card layout hook, a Chinese empty text.

    `filterset` and `empty_action` are set by `make_list` for the template; a subclass sets
    `empty_text` ("暂无订单") in its Meta.
    """

    filterset: django_filters.FilterSet | None = None
    empty_action: tuple[str, str] | None = None
    current_sort: str = ""

    class Meta:
        template_name = "ui/list.html"
        attrs = {"class": "table table-sm small align-middle qihub-list"}
        empty_text = "暂无记录"

    def tbody_html(self) -> SafeString:
        """The table's `<tbody>`, drawn in one pass in Python: the same bytes as the template
        block it replaces (django-tables2's bootstrap5 `table.tbody` with our row block, kept in
        `core/tests/list_reference.html` and compared in `test_row_renderer.py`).

        Why: through the template every cell cost a loop step, three attribute look-ups, the
        cell's `td` attributes rebuilt from scratch and its header read again, ~0.1–0.2 ms a cell
        and most of a list page's CPU (issue 23, bench/README.md). Cell values come from
        `cell_function`: django-tables2's own rules, worked out once per column instead of once
        per cell. Everything is escaped as the template would."""
        context = getattr(self, "context", None) or Context()
        tbody_attrs = self.attrs.get("tbody")
        parts = [
            "\n                <tbody ",
            tbody_attrs.as_html() if isinstance(tbody_attrs, tables_utils.AttributeDict) else "",
            ">\n                ",
        ]
        columns = list(self.columns)
        # A column's td attributes and header are the same on every row unless an attribute is
        # computed from the record: those are worked out per cell, as django-tables2 does.
        fixed_td = {c.name: None if _computed(c) else c.attrs["td"].as_html() for c in columns}
        labels = {c.name: conditional_escape(c.header) for c in columns}
        cells = [(c, cell_function(c)) for c in columns]
        empty = True
        for row in self.paginated_rows:
            empty = False
            parts += ["\n                    \n<tr ", row.attrs.as_html(), ">\n  "]
            record = row._record
            for column, cell_of in cells:
                cell = cell_of(row)
                # As `BoundRow.items()` does: a td attribute computed from the record (and
                # anything else reading the column afterwards) sees this row's cell.
                column.current_value = cell
                column.current_record = record
                td = fixed_td[column.name]
                parts += [
                    "\n    <td ",
                    td if td is not None else column.attrs["td"].as_html(),
                    ' data-label="',
                    labels[column.name],
                    '"><div class="qihub-cell">',
                    render_value_in_context(cell, context),
                    "</div></td>\n  ",
                ]
            parts.append("\n</tr>\n\n                ")
        if empty:
            parts.append("\n                    ")
            if self.empty_text:
                parts.append(
                    format_html(
                        "\n                    \n                        "
                        '<tr><td colspan="{}">{}</td></tr>\n                    \n'
                        "                    ",
                        len(columns),
                        self.empty_text,
                    )
                )
            parts.append("\n                ")
        parts.append("\n                </tbody>\n            ")
        return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped above

    def page_records(self) -> list[Any]:
        """The records of the page shown (all rows when the table is not paginated)."""
        page = getattr(self, "page", None)
        rows = page.object_list if page is not None else self.rows
        # The records themselves, not `BoundRow`s: each BoundRow made advances the table's row
        # counter, and a column reading its page mid-drawing would shift every later row's
        # odd/even class. A page's queryset slice keeps its rows, so the drawing reads no more.
        return list(rows.data)

    def per_page(self, key: str, compute: Callable[[list[Any]], Any]) -> Any:
        """`compute(records of the page)`, worked out once per page and kept: a column that
        needs a figure from another table (a clock, a count) reads it for the whole page in
        one query instead of one per row (reliability bar B11)."""
        memo = self.__dict__.setdefault("_per_page", {})
        if key not in memo:
            memo[key] = compute(self.page_records())
        return memo[key]

    def clock_reading(self, record: Any, code: str) -> dict:
        """The reading of `record`'s open `code` clock (`deadlines.queries.describe`), the
        page's clocks read together."""
        from django.utils import timezone

        from qihub.deadlines.queries import open_clock_readings

        readings = self.per_page(
            f"clock:{code}", lambda records: open_clock_readings(records, code, timezone.now())
        )
        return readings.get(record.pk, {})

    @property
    def filtered(self) -> bool:
        """Whether the visitor narrowed the list (so "no rows" means "none match", not "none")."""
        fs = self.filterset
        return bool(fs is not None and any(v for k, v in fs.data.items() if k in fs.filters))


def _computed(bound_column: Any) -> bool:
    """Whether the column's td attributes hold anything computed per record (a callable)."""
    attrs = dict(bound_column._table.attrs)
    attrs.update(dict(bound_column.column.attrs))
    return _has_callable(attrs.get("td", attrs.get("cell", {})))


def _has_callable(value: Any) -> bool:
    if callable(value):
        return True
    if isinstance(value, dict):
        return any(_has_callable(v) for v in value.values())
    return False


class RegionFilter(django_filters.Filter):
    """Rows whose region lies in the picked division (a province takes all its cities)."""

    field_class = RegionField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("levels", 1)
        kwargs.setdefault("label", "地区")
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__startswith": regions.prefix(value)})


def make_list(
    request: HttpRequest,
    table_class: type[ListTable],
    data: QuerySet | Iterable[Any],
    *,
    filterset_class: type[django_filters.FilterSet] | None = None,
    rows: Callable[[QuerySet], Iterable[Any]] | None = None,
    empty_action: tuple[str, str] | None = None,
    per_page: int = PER_PAGE,
    **table_kwargs: Any,
) -> ListTable:
    """A table of `data`, filtered by `filterset_class` (if given), sorted and paginated.

    `rows` turns the filtered queryset into what the table shows when that is not the queryset
    itself (rows with their clocks, sorted by urgency); `empty_action` is the (label, url) of the
    button the empty state offers. Bad filter input leaves the list empty and the form names the
    field, never a 500.
    """
    filterset = None
    if filterset_class is not None:
        filterset = filterset_class(request.GET, queryset=data, request=request)
        data = filterset.qs if filterset.is_valid() else data.none()  # type: ignore[union-attr]
    if rows is not None:
        data = list(rows(data))  # type: ignore[arg-type]
    table = table_class(data, **table_kwargs)
    table.filterset = filterset
    table.empty_action = empty_action
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    # The filter form carries the sort along, so narrowing a sorted list keeps its order.
    table.current_sort = request.GET.get(table.prefixed_order_by_field, "")
    return table
