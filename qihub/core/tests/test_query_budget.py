"""Query budget (reliability bar row B11, issue 23): a list or detail page, and an API list,
costs the same number of SQL queries whether it shows 2 rows or 12, and never more than 15.

Each case names the persona who looks, the page (a URL name) and a maker that adds `k` rows
that persona sees. The page is read once to warm the session, counted with 2 rows, then 10
more rows are made and it is counted again. `test_every_list_page_is_covered` walks the URL
resolver: a view built with `make_list` that is neither a case here nor excused in
`NOT_COVERED` (with its reason) fails the suite, so a new list cannot skip its budget."""

import inspect
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from qihub.accounts.models import User
from qihub.core import testing as make

BUDGET = 15


@dataclass
class World:
    """The personas of one test and the records rows hang off, made once and shared."""

    users: dict[str, User]
    cache: dict[str, Any] = field(default_factory=dict)

    def lab(self) -> Any:
        """The institution persona's own listed institution."""
        if "lab" not in self.cache:
            self.cache["lab"] = make.institution(account=self.users["institution"])
        return self.cache["lab"]

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


Maker = Callable[[World, int], None]


@dataclass(frozen=True)
class Case:
    role: str
    url_name: str
    rows: Maker
    args: Callable[[World], tuple] = lambda w: ()

    @property
    def id(self) -> str:
        return f"{self.url_name}-{self.role}"


def n_times(build: Callable[[World, int], Any]) -> Maker:
    def rows(world: World, k: int) -> None:
        for i in range(k):
            build(world, i)

    return rows


# --- row makers ------------------------------------------------------------------------------
def _orders_of_enterprise(w: World, i: int) -> Any:
    return make.order_in("accepted", w.users["enterprise"], institution_org=w.lab())


def _orders_completed(w: World, i: int) -> Any:
    return make.order_in("completed", w.users["enterprise"], institution_org=w.lab())


def _demand_of_enterprise(w: World, i: int) -> Any:
    return make.demand(w.users["enterprise"], shortlist=[w.lab()])


def _complaint_of_enterprise(w: World, i: int) -> Any:
    return make.complaint(w.users["enterprise"], status="forwarded", against=w.lab())


def _opinion(w: World, i: int) -> Any:
    return make.opinion(w.users["enterprise"])


def _institution(w: World, i: int) -> Any:
    return make.institution(f"无锡第{len(w.cache)}{i}检测所", uscc=make.uscc())


def _station(w: World, i: int) -> Any:
    return make.station(f"第{i}号{len(w.cache)}服务站")


def _application(w: World, i: int) -> Any:
    return make.application(make.VerifiedUserFactory(role="enterprise", verified_at=None))


def _qualification_change(w: World, i: int) -> Any:
    return make.qualification_change(_institution(w, i))


def _rectification(w: World, i: int) -> Any:
    return make.rectification(institution_org=w.lab())


def _sample(w: World, i: int) -> Any:
    return make.sample(_orders_of_enterprise(w, i))


def _order_number(w: World) -> tuple:
    return (w.once("order", lambda: _orders_of_enterprise(w, 0)).number,)


def _order_events(w: World, k: int) -> None:
    from qihub.orders.models import OrderEvent

    order = w.once("order", lambda: _orders_of_enterprise(w, 0))
    for i in range(k):
        OrderEvent.objects.create(
            order=order, kind="note", by=w.users["institution"], note=f"进度 {i}"
        )


def _demand_number(w: World) -> tuple:
    return (w.once("demand", lambda: _demand_of_enterprise(w, 0)).number,)


def _demand_shortlist(w: World, k: int) -> None:
    from qihub.demands.models import RecommendedInstitution

    demand = w.once("demand", lambda: _demand_of_enterprise(w, 0))
    recommendation = demand.recommendation
    start = recommendation.items.count() + 1
    for i in range(k):
        RecommendedInstitution.objects.create(
            recommendation=recommendation,
            organisation=_institution(w, i),
            rank=start + i,
            score=0.5,
        )


CASES: list[Case] = [
    # orders
    Case("enterprise", "orders:mine", n_times(_orders_of_enterprise)),
    Case("institution", "orders:institution", n_times(_orders_of_enterprise)),
    Case("operator", "orders:staff", n_times(_orders_completed)),
    Case("enterprise", "orders:detail", _order_events, _order_number),
    # demands
    Case("enterprise", "demands:mine", n_times(_demand_of_enterprise)),
    Case("operator", "demands:queue", n_times(_demand_of_enterprise)),
    Case("institution", "demands:institution", n_times(_demand_of_enterprise)),
    Case("enterprise", "demands:detail", _demand_shortlist, _demand_number),
    # complaints and opinions
    Case("enterprise", "complaints:mine", n_times(_complaint_of_enterprise)),
    Case("operator", "complaints:queue", n_times(_complaint_of_enterprise)),
    Case("institution", "complaints:institution", n_times(_complaint_of_enterprise)),
    Case("operator", "complaints:opinions", n_times(_opinion)),
    # institutions, registration, stations
    Case("operator", "institutions:ops_list", n_times(_institution)),
    Case("operator", "institutions:change_queue", n_times(_qualification_change)),
    Case("operator", "onboarding:queue", n_times(_application)),
    Case("visitor", "stations:directory", n_times(_station)),
    Case("operator", "evaluations:rectifications", n_times(_rectification)),
    Case("operator", "samples:list", n_times(_sample)),
    # API lists
    Case("enterprise", "api-v1:orders", n_times(_orders_of_enterprise)),
    Case("enterprise", "api-v1:demands", n_times(_demand_of_enterprise)),
]

# List views with no case yet, each with its reason. Shrink this; never grow it silently.
NOT_COVERED: dict[str, str] = {}


def count_queries(client: Any, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), [q["sql"] for q in queries.captured_queries]


def repeated(sql: list[str]) -> str:
    """The statements run more than once (numbers blanked): where an N+1 shows."""
    shapes: dict[str, int] = {}
    for statement in sql:
        shape = re.sub(r"\b\d+\b", "?", statement)[:300]
        shapes[shape] = shapes.get(shape, 0) + 1
    return "\n".join(f"{n} × {shape}" for shape, n in shapes.items() if n > 1)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_page_costs_the_same_queries_for_2_rows_as_for_12(case, request, client_as):
    from conftest import PERSONAS

    users = {name: request.getfixturevalue(name) for name in PERSONAS}
    world = World(users)
    viewer = client_as(users.get(case.role))
    case.rows(world, 2)
    url = reverse(case.url_name, args=case.args(world))
    viewer.get(url)  # the first request of a session reads more (the session, caches)
    few, _ = count_queries(viewer, url)
    case.rows(world, 10)
    many, sql = count_queries(viewer, url)

    assert many == few, f"{url}: {few} queries with 2 rows, {many} with 12\n{repeated(sql)}"
    assert many <= BUDGET, f"{url}: {many} queries\n" + "\n".join(sql)


# --- the meta-check: no list view escapes the table ------------------------------------------
def _routes(patterns: list, namespace: str = "") -> Iterator[tuple[str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from _routes(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, p.callback


def _builds_a_list(view: Any) -> bool:
    """Whether the view calls `make_list`, itself or through a helper of its own module."""
    view = getattr(view, "view_class", None) or view
    view = inspect.unwrap(view)
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return False
    if "make_list(" in source:
        return True
    module = sys.modules[view.__module__]
    for name, helper in vars(module).items():
        if (
            inspect.isfunction(helper)
            and helper.__module__ == module.__name__
            and helper is not view
            and re.search(rf"\b{name}\(", source)
            and "make_list(" in inspect.getsource(helper)
        ):
            return True
    return False


def list_views() -> set[str]:
    return {name for name, view in _routes(get_resolver().url_patterns) if _builds_a_list(view)}


def test_every_list_page_is_covered():
    covered = {c.url_name for c in CASES}
    missing = list_views() - covered - set(NOT_COVERED)
    stale = set(NOT_COVERED) & covered

    assert not missing, f"list pages without a query-budget case: {sorted(missing)}"
    assert not stale, f"covered now, drop from NOT_COVERED: {sorted(stale)}"
