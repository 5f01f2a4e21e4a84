"""List rows drawn in Python (`ListTable.tbody_html`, issue 23) give the same page as the template
they replaced: each real list page below is loaded as its user sees it, and its list is drawn a
second time, from the same table, by the old template (`list_reference.html`, the former
`ui/list.html`); the two must be the same bytes."""

# ruff: noqa: F811 - the fixtures imported below are parameters of the tests
import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
import time_machine
from django.template import RequestContext, engines

from qihub.core import testing
from qihub.demands.tests.conftest import company, labs  # noqa: F401 - shared fixtures
from qihub.orders.tests.test_orders import pipe_lab  # noqa: F401 - shared fixture

REFERENCE = Path(__file__).with_name("list_reference.html")
# A weekday mid-morning in Beijing: no date, working-day or clock boundary near the test.
NOON = dt.datetime(2026, 6, 10, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _old_rendering(response) -> str:
    """The list of `response`'s page as the old template draws it from the same table."""
    table = response.context["table"]
    # Rows alternate odd/even by a counter on the table that the page's rendering advanced; a
    # fresh rendering, like the page's, starts it at nought.
    table._counter = itertools.count()
    return _old_rendering_of(table, response)


def _without_tokens(html: str) -> str:
    # Every rendering masks the CSRF token anew (Django's BREACH defence): same secret, new bytes.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)


def _assert_same_list(response, *, rows: int) -> str:
    assert response.status_code == 200
    page = _without_tokens(response.content.decode())
    old = _without_tokens(_old_rendering(response)).strip()
    assert old.startswith('<div class="qihub-list-block">')
    assert page.count("<td ") > 0
    assert old in page, "the Python row renderer drew a different list than the old template"
    body = page.split("<tbody")[1].split("</tbody>")[0]
    assert body.count("<tr ") == rows
    return page


@pytest.fixture
def at_noon():
    with time_machine.travel(NOON, tick=True):
        yield


def test_orders_list_with_sorting_and_pages(at_noon, client_as, company, pipe_lab):
    for i in range(22):
        status = ["placed", "accepted", "quoted"][i % 3]
        due = "2026-06-20T00:00+08:00" if status == "accepted" else None
        testing.order(
            company, institution_org=pipe_lab, status=status, due_at=due, description=f"<b>第{i}批"
        )
    ent = client_as(company)

    first = _assert_same_list(ent.get("/orders/"), rows=20)
    assert "&lt;b&gt;" in first or "<b>第" not in first  # text from users stays text
    assert 'data-testid="pagination"' in first
    _assert_same_list(ent.get("/orders/?page=2"), rows=2)
    sorted_page = _assert_same_list(ent.get("/orders/?sort=-number"), rows=20)
    assert 'aria-sort="descending"' in sorted_page


def test_the_institutions_orders(at_noon, client_as, company, pipe_lab):
    for status in ("placed", "accepted", "completed"):
        testing.order(company, institution_org=pipe_lab, status=status)
    lab = client_as(pipe_lab.account)
    _assert_same_list(lab.get("/institution/orders/"), rows=3)


def test_demands_mine_and_the_operators_queue(at_noon, client_as, company, operator):
    for i in range(3):
        testing.demand(company, title=f"压力表检定 第 {i + 1} 批 & <i>急</i>", clocks=True)
    mine = _assert_same_list(client_as(company).get("/demands/"), rows=3)
    assert "&lt;i&gt;急&lt;/i&gt;" in mine
    _assert_same_list(client_as(operator).get("/ops/demands/"), rows=3)


def test_complaints_queue_with_its_row_buttons(at_noon, client_as, enterprise, operator):
    testing.complaint(enterprise, status="accepted")
    testing.complaint(enterprise, status="accepted", paused=True)
    testing.complaint(enterprise, status="closed")
    _assert_same_list(client_as(operator).get("/ops/complaints/"), rows=2)
    _assert_same_list(client_as(enterprise).get("/complaints/"), rows=3)


def test_the_operators_order_queue(at_noon, client_as, company, pipe_lab, operator):
    for status in ("placed", "accepted", "quoted", "completed"):
        testing.order(company, institution_org=pipe_lab, status=status)
    _assert_same_list(client_as(operator).get("/ops/orders/"), rows=4)


# --- every list table: cells prepared per column (core/cells.py) against django-tables2 ---------
# The demo data (`seed-demo`) gives rows to most lists; each list page is opened by every demo
# persona and every table on it with rows is drawn both ways. Tables it cannot reach with rows:
EMPTY = "every demo persona sees this list empty in the demo data (and the makers above)"
NOT_COMPARED = {
    "qihub.filing.tables.CatalogueTable": "its page needs a filing in its address",
    "qihub.bookings.tables.DayTable": "its page needs a resource and a day in its address",
    "qihub.evaluations.tables.ReturnVisitTable": "its page needs an order in its address",
    "qihub.institutions.tables.DecidedChangeTable": "no decided qualification change: " + EMPTY,
    "qihub.onboarding.tables.ReviewQueueTable": "no application awaiting review: " + EMPTY,
    "qihub.ops.tables.ServerErrorTable": "no server error was recorded today: " + EMPTY,
    "qihub.accounts.tables.DeviceTable": "no API device of the persona: " + EMPTY,
    "qihub.bookings.tables.MineTable": "no booking of the persona: " + EMPTY,
    "qihub.biomed.tables.OverdueTable": "no overdue archive: " + EMPTY,
    "qihub.evaluations.tables.CampaignTable": EMPTY,
    "qihub.instruments.tables.FeeTable": EMPTY,
    "qihub.instruments.tables.StatsTable": EMPTY,
    "qihub.samples.tables.StationStatsTable": EMPTY,
    "qihub.demands.tables.VisitTable": "no enterprise visit recorded: " + EMPTY,
}


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _rows_the_demo_lacks() -> None:
    """A few records (core.testing makers) for lists the demo data leaves empty."""
    from qihub.accounts.models import User
    from qihub.institutions.models import Organisation
    from qihub.orders.models import Order

    firm = User.objects.get(username="demo_enterprise")
    lab = Organisation.objects.get(account__username="demo_institution")
    testing.complaint(firm, status="accepted", against=lab)
    testing.complaint(firm, status="closed", against=lab)
    testing.opinion(firm)
    testing.rectification(institution_org=lab)
    testing.qualification_change(lab)
    order = Order.objects.filter(client=firm, institution=lab).order_by("pk").first()
    if order is not None:
        testing.sample(order)


def _list_tables(response) -> list:
    from qihub.core.lists import ListTable

    found: dict[int, ListTable] = {}
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        for layer in getattr(context, "dicts", []):
            for value in layer.values():
                if isinstance(value, ListTable):
                    found[id(value)] = value
    return list(found.values())


def _all_table_classes() -> set[type]:
    from qihub.core.lists import ListTable

    seen: set[type] = set()
    todo = list(ListTable.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo.extend(cls.__subclasses__())
    return {c for c in seen if not c.__module__.startswith(("qihub.core.tests", "tests."))}


def _assert_cells_equal(table) -> int:
    """Each cell by `cell_function` equals django-tables2's `row.get_cell`; returns the rows."""
    from qihub.core.cells import cell_function

    columns = list(table.columns)
    prepared = [(c, cell_function(c)) for c in columns]
    rows = 0
    for row in table.paginated_rows:
        rows += 1
        for column, cell_of in prepared:
            fast, stock = cell_of(row), row.get_cell(column.name)
            assert _without_tokens(str(fast)) == _without_tokens(str(stock)), (
                f"{type(table).__name__}.{column.name}: {fast!r} != {stock!r}"
            )
    return rows


def test_every_list_table_draws_the_same_cells_as_django_tables2(at_noon, client_as):
    """Every `ListTable` a list page uses, with the demo data's rows: the page (fast cells) holds
    the list the old template draws through django-tables2's stock `row.items()`, and every
    cell function gives what `row.get_cell` gives."""
    from django.core.management import call_command
    from django.urls import NoReverseMatch, reverse

    from qihub.accounts.models import User
    from qihub.core.tests.test_query_budget import list_views

    call_command("seed-demo", stdout=None)
    _rows_the_demo_lacks()
    personas = [client_as(u) for u in User.objects.filter(is_demo=True).order_by("username")]
    compared: dict[type, int] = {}
    for url_name in sorted(list_views()):
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # needs a record in its address; its table is named below if unreached
        for viewer in personas:
            response = viewer.get(url)
            html = "text/html" in response.get("Content-Type", "")
            if response.status_code != 200 or response.context is None or not html:
                continue  # refused, redirected, or a download (a spreadsheet of the list)
            for table in _list_tables(response):
                if table.Meta.template_name != "ui/list.html" or not table.paginator.count:
                    continue
                table._counter = itertools.count()
                table.context = _page_context(response)
                try:
                    rows = _assert_cells_equal(table)
                finally:
                    del table.context
                page = _without_tokens(response.content.decode())
                table._counter = itertools.count()
                old = _without_tokens(_old_rendering_of(table, response)).strip()
                assert old in page, f"{url} ({type(table).__name__}): rows drawn differently"
                compared[type(table)] = compared.get(type(table), 0) + rows
    missing = {_name(c) for c in _all_table_classes() if c not in compared} - set(NOT_COMPARED)
    assert not missing, f"list tables not compared and not excused: {sorted(missing)}"
    stale = {_name(c) for c in compared} & set(NOT_COMPARED)
    assert not stale, f"compared now, drop from NOT_COMPARED: {sorted(stale)}"


def _page_context(response) -> RequestContext:
    """The page's own template context (a row's template may read the view's variables)."""
    contexts = response.context if isinstance(response.context, list) else [response.context]
    return RequestContext(response.wsgi_request, contexts[0].flatten())


def _old_rendering_of(table, response) -> str:
    request = response.wsgi_request
    template = engines["django"].from_string(REFERENCE.read_text())
    # As django-tables2's {% render_table %} does: TemplateColumns read the page's context.
    table.context = _page_context(response)
    try:
        return template.render({"table": table}, request)
    finally:
        del table.context


def test_clock_badges_draw_what_the_old_clocks_template_drew():
    """`demands/_clocks.html` now calls `deadlines.display.clock_badges` (drawn in Python for the
    lists); the detail pages and lists must show the bytes of the template it replaced
    (`clocks_reference.html`): running, paused, overdue, stopped on time and late, none."""
    from django.template.loader import get_template

    due = dt.datetime(2026, 6, 12, 9, 5, tzinfo=dt.UTC)
    readings = [
        {"name": "受理<时限>", "due_at": due, "overdue": False, "label": "剩余 2 个工作日"},
        {"name": "响应时限", "due_at": due, "overdue": False, "label": "已暂停"},
        {"name": "办结时限", "due_at": due, "overdue": True, "label": "已超时"},
        {"name": "办结时限", "due_at": due, "overdue": False, "stopped": True, "label": "按时办结"},
        {"name": "办结时限", "due_at": due, "overdue": True, "stopped": True, "label": "超时办结"},
    ]
    old = engines["django"].from_string(REFERENCE.with_name("clocks_reference.html").read_text())
    new = get_template("demands/_clocks.html")
    for clocks in ([], readings[:1], readings, None):
        context = {} if clocks is None else {"clocks": clocks}
        assert new.render(context) == old.render(context)
    assert "受理&lt;时限&gt;" in new.render({"clocks": readings})


def test_cell_functions_follow_django_tables2_for_column_kinds_no_list_uses_yet(
    at_noon, company, pipe_lab
):
    """The column kinds and options `cell_function` models but no list page uses today
    (linkify, a callable default, a render method asking for an unknown argument, `__` paths
    through a missing relation, choices shown by their label, stock date columns) give exactly
    what `row.get_cell` gives."""
    import django_tables2 as tables

    from qihub.core.cells import cell_function
    from qihub.core.lists import ListTable, TemplateColumn

    class Kinds(ListTable):
        status = tables.Column(accessor="status")
        lab = tables.Column(accessor="institution__name")
        nowhere = tables.Column(accessor="institution__nothing__deeper", default="—")
        later = tables.Column(accessor="nothing", default=lambda: "无")
        linked = tables.Column(accessor="number", linkify=lambda record: f"/x/{record.pk}/")
        day = tables.DateColumn("Y-m-d H:i", accessor="placed_at")
        stamp = tables.DateTimeColumn(accessor="due_at", default="—")
        free = tables.BooleanColumn(accessor="free")
        odd = tables.Column(accessor="number")
        both = tables.Column(accessor="pk")
        counter = TemplateColumn("{{ row_counter }}：{{ value }}", accessor="description")

        def render_odd(self, value: str, foo: str) -> str:
            return f"{value}{foo}"

        def render_both(self, record: object, bound_row: object, value: int) -> str:
            return f"{value}-{bound_row.row_counter}"

    orders = [
        testing.order(company, institution_org=pipe_lab, status="accepted", due_at=NOON),
        testing.order(company, institution_org=pipe_lab, status="placed", description="<b>急"),
    ]
    table = Kinds(orders)
    columns = list(table.columns)
    prepared = [(c, cell_function(c)) for c in columns]
    drawn = 0
    for row in table.rows:
        for column, cell_of in prepared:
            assert str(cell_of(row)) == str(row.get_cell(column.name)), column.name
            drawn += 1
    assert drawn == 2 * len(columns)
    first = table.rows[0]
    assert first.get_cell("odd") is None and first.get_cell("later") == "无"
    assert 'href="/x/' in str(first.get_cell("linked"))


# --- the hot lists' cells, once template columns, now Python (FunctionColumn) -----------------
# The template columns as they were (orders/tables.py, demands/tables.py before issue 23's
# cells step); the clocks include is the old `_clocks.html` (clocks_reference.html).
_OLD_URGENT = (
    '{% if d.urgent %}<span class="badge text-bg-danger me-1" data-testid="urgent-badge"'
    ' title="{{ d.urgent_reason }}">加急</span>{% endif %}'
)
_OLD_ROW_NUMBER = (
    "<a href=\"{% url 'demands:detail' record.demand.number %}\">{{ record.demand.number }}</a>"
)
_OLD_ROW_TITLE = "{% with d=record.demand %}" + _OLD_URGENT + "{{ d.title }}{% endwith %}"
# 我的需求 and 需求队列 once showed rows of the demand with its clocks; now their records are the
# demands themselves: the old templates with `record.demand` read as `record`.
_OLD_DEMAND_COLUMNS = {
    "number": _OLD_ROW_NUMBER.replace("record.demand", "record"),
    "title": _OLD_ROW_TITLE.replace("record.demand", "record"),
}
_OLD_PROPOSER = (
    "{% if record.demand.client %}{{ record.demand.client.shown_name }}"
    "{% elif record.demand.caller %}{{ record.demand.caller.name_masked }}（无账户）{% endif %}"
)
_OLD_RESPONSIBLE = (
    "{% with r=record.demand.responsible %}{% if r %}{{ r.shown_name }}"
    "{% else %}—{% endif %}{% endwith %}"
)


def _old_columns() -> dict[str, dict[str, str]]:
    clocks = (
        "{% with clocks=record.clock_readings %}"
        + REFERENCE.with_name("clocks_reference.html").read_text()
        + "{% endwith %}"
    )
    return {
        "OrderTable": {
            "number": "<a href=\"{% url 'orders:detail' record.number %}\">{{ record.number }}</a>",
            "service": _OLD_URGENT.replace("d.", "record.") + "{{ record.service.name }}",
            "client": "{{ record.client.party_name }}",
            "next_step": '{% if record.status == "placed" %}待机构确认{% elif record.status =='
            ' "quoted" %}待下单人确认报价{% elif record.status == "accepted" %}服务中，出具报告后完成'
            '{% elif record.status == "completed" %}{% if record.evaluation %}已评价{% else %}待评价'
            "{% endif %}{% else %}—{% endif %}",
        },
        "MyDemandTable": {
            **_OLD_DEMAND_COLUMNS,
            "clocks": clocks,
            "next_step": '{% with d=record %}{% if d.status == "recommended" %}'
            '查看推荐机构并联系或下单{% elif d.status == "referred" %}查看平台外机构反馈'
            '{% elif d.status == "in_service" %}查看由本需求下的订单{% elif d.is_open %}等待平台处理'
            "{% else %}—{% endif %}{% endwith %}",
        },
        "QueueTable": {
            **_OLD_DEMAND_COLUMNS,
            "client": _OLD_PROPOSER.replace("record.demand", "record"),
            "region": "{% load regions %}{{ record.region|region_name }}",
            "responsible": _OLD_RESPONSIBLE.replace("record.demand", "record"),
            "clocks": clocks,
        },
        "FollowUpTable": {
            "number": _OLD_ROW_NUMBER,
            "title": _OLD_ROW_TITLE,
            "client": _OLD_PROPOSER,
            "responsible": _OLD_RESPONSIBLE,
        },
        "InstitutionDemandTable": {
            "number": "<a href=\"{% url 'demands:detail' record.number %}\">"
            "{{ record.number }}</a>",
            "title": "{% with d=record %}" + _OLD_URGENT + "{{ d.title }}{% endwith %}",
            "region": "{% load regions %}{{ record.region|region_name }}",
        },
    }


def _as_it_was(table):
    """The same table over the same records, its Python columns back as their old templates."""
    from qihub.core.lists import TemplateColumn

    cls = type(table)
    old = {
        name: TemplateColumn(
            code,
            verbose_name=table.columns[name].column.verbose_name,
            orderable=table.columns[name].column.orderable,
            order_by=table.columns[name].column.order_by,
        )
        for name, code in _old_columns()[cls.__name__].items()
    }
    meta = type("Meta", (cls.Meta,), {})  # django-tables2 inherits Meta only when declared
    old_cls = type(f"Old{cls.__name__}", (cls,), {"__module__": __name__, "Meta": meta, **old})
    records = table.page_records()
    if "clocks" in old and not isinstance(records[0], dict):
        # What the old rows carried: each demand's clocks, read as the page reads them.
        from django.utils import timezone

        from qihub.deadlines.queries import clocks_of_each

        readings = clocks_of_each(records, timezone.now(), running=True)
        for record in records:
            record.clock_readings = readings.get(record.pk, [])
    return old_cls(records)


def _assert_same_as_it_was(response) -> int:
    from qihub.core.cells import FunctionColumn

    assert response.status_code == 200
    table = response.context["table"]
    assert any(isinstance(c.column, FunctionColumn) for c in table.columns)
    new = type(table)(table.page_records())
    old = _as_it_was(table)
    for t in (new, old):
        t.context = _page_context(response)
    assert new.tbody_html() == old.tbody_html()
    return new.tbody_html().count("<tr ")


def test_the_hot_lists_draw_what_their_template_columns_drew(
    at_noon, client_as, company, pipe_lab, operator
):
    """The orders, demands, demand queue, follow-up and institution demand lists, whose template
    columns became Python functions, draw the bytes the templates drew: every order status, an
    evaluated order, urgent rows with a reason that needs escaping, clocks running and overdue,
    a demand phoned in by a caller without an account, one with a first responsible."""
    from qihub.demands.models import Demand
    from qihub.evaluations.models import Evaluation

    urgent = {"urgent": True, "urgent_reason": '急用 <"校准">'}
    for status in ("placed", "quoted", "accepted", "completed", "cancelled"):
        testing.order(company, institution_org=pipe_lab, status=status, **urgent)
    done = testing.order(company, institution_org=pipe_lab, status="completed")
    scores = dict(process=5, timeliness=5, attitude=5, competence=5, overall=5)
    Evaluation.objects.create(order=done, by=company, channel="online", **scores)
    for status in ("published", "recommended", "referred", "in_service", "closed"):
        testing.demand(company, status=status, title=f"<i>{status}</i> 压力表", **urgent)
    phoned = testing.demand(company, title="来电需求", responsible=operator)
    Demand.objects.filter(pk=phoned.pk).update(client=None, caller=testing.caller_of(company))

    ent = client_as(company)
    assert _assert_same_as_it_was(ent.get("/orders/")) == 6
    assert _assert_same_as_it_was(ent.get("/demands/")) >= 5
    staff = client_as(operator)
    assert _assert_same_as_it_was(staff.get("/ops/demands/")) >= 3
    assert _assert_same_as_it_was(staff.get("/ops/orders/")) == 6
    assert _assert_same_as_it_was(client_as(pipe_lab.account).get("/institution/orders/")) == 6
