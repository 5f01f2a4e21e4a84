"""The health page's requests-per-hour chart (OPS-1): counted in the cache, last 24 hours."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

NINE_TEN = dt.datetime(2026, 11, 30, 1, 10, tzinfo=dt.UTC)  # 09:10 in Beijing


@pytest.mark.req("OPS-1")
@pytest.mark.django_db
def test_requests_of_each_hour_show_on_the_health_pages_chart(operator, client_as):
    with time_machine.travel(NINE_TEN, tick=False):
        visitor = Client()
        for _ in range(3):
            assert visitor.get("/healthz").status_code in (200, 503)
    with time_machine.travel(NINE_TEN + dt.timedelta(hours=1, minutes=20), tick=False):
        browser = client_as(operator)
        page = browser.get("/ops/health/").content.decode()
        svg = browser.get("/ops/health/charts/requests.svg")

    assert 'data-testid="chart-requests"' in page
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert "最近 24 小时请求数" in body
    # pygal writes each bar's value: 3 requests at 9 o'clock; at 10 the page and the chart.
    values = re.findall(r'<desc class="value">(\d+)</desc>', body)
    assert values[-2:] == ["3", "2"]
    assert sum(int(v) for v in values) == 5
