"""Work a page used to repeat on every request, now done once or cached (issue 23, item 1;
bench/pages.py measures the CPU). Each test shows the cached answer still follows its inputs,
through the pages people read."""

# ruff: noqa: F811 - the fixtures imported below are parameters of the tests
from django.template import base as template_base

from qihub.catalog.models import PlatformInfo
from qihub.core import testing
from qihub.demands.tests.conftest import company, labs  # noqa: F401 - shared fixtures
from qihub.orders.tests.test_orders import pipe_lab  # noqa: F401 - shared fixture


def _templates_compiled_by(get) -> int:
    """How many templates a request parses (the cached loader keeps files; a cell template
    parsed per row shows up here)."""
    calls = []
    original = template_base.Template.__init__

    def counting(self, *args, **kwargs):
        calls.append(1)
        original(self, *args, **kwargs)

    template_base.Template.__init__ = counting
    try:
        get()
    finally:
        template_base.Template.__init__ = original
    return len(calls)


def test_a_longer_order_list_parses_no_more_templates(client_as, company, pipe_lab):
    """The 约定完成 date column used to parse its template once per row."""
    ent = client_as(company)
    for _ in range(2):
        testing.order(
            company, institution_org=pipe_lab, status="accepted", due_at="2026-12-31T00:00+08:00"
        )
    ent.get("/orders/")  # warm: the list's own templates are loaded once per process
    few = _templates_compiled_by(lambda: ent.get("/orders/"))
    for _ in range(10):
        testing.order(
            company, institution_org=pipe_lab, status="accepted", due_at="2026-12-31T00:00+08:00"
        )
    many = _templates_compiled_by(lambda: ent.get("/orders/"))
    page = ent.get("/orders/").content.decode()

    assert page.count("2026-12-31") == 12
    assert many == few


def test_the_footer_shows_a_changed_hotline_at_once(client_as, admin):
    visitor = client_as(None)
    before = PlatformInfo.current().service_hotline
    assert before in visitor.get("/").content.decode()  # now cached

    info = PlatformInfo.objects.order_by("pk").first()
    fields = {
        f.name: getattr(info, f.name)
        for f in PlatformInfo._meta.fields
        if f.editable and f.name != "id"
    }
    fields["service_hotline"] = "0510-88886666"
    answer = client_as(admin).post(f"/admin/catalog/platforminfo/{info.pk}/change/", fields)

    assert answer.status_code == 302
    page = visitor.get("/info/").content.decode()
    assert "0510-88886666" in page
    assert before not in visitor.get("/").content.decode()


def test_the_home_page_shows_a_station_opened_after_it_was_cached(client_as):
    visitor = client_as(None)
    assert "梁溪服务站" not in visitor.get("/").content.decode()  # the lists are now cached

    testing.station("梁溪服务站")

    assert "梁溪服务站" in visitor.get("/").content.decode()
