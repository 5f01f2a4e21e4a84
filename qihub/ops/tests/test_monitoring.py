"""Monitoring (OPS-1): short error numbers operators look up, the health page with charts, the
protected metrics endpoint and JSON log lines with the request id."""

import datetime as dt
import json
import logging
import re

import pytest
import time_machine
from django.test import Client, override_settings

from qihub.core import testing
from qihub.core.logjson import JsonFormatter
from qihub.core.middleware import RequestIdLogFilter
from qihub.ops.errors import LAST_ERROR_COOKIE
from qihub.ops.models import ServerError

NUMBER = re.compile(r'data-testid="error-number">(\d{8}-\d{4})<')
AT = dt.datetime(2026, 11, 30, 2, 30, tzinfo=dt.UTC)  # 10:30 in Beijing


def _explode(client: Client) -> str:
    response = client.get("/explode/?q=1")
    assert response.status_code == 500
    match = NUMBER.search(response.content.decode())
    assert match, "the 500 page shows no short error number"
    return match.group(1)


@pytest.mark.req("OPS-1")
@pytest.mark.urls("qihub.core.tests.urls_failing")
def test_the_500_page_number_leads_the_operator_to_the_path_and_exception(
    enterprise, operator, client_as
):
    user = client_as(enterprise)
    user.raise_request_exception = False
    with time_machine.travel(AT, tick=False):
        number = _explode(user)
        second = _explode(user)

        assert number == "20261130-0001" and second == "20261130-0002"
        assert user.cookies[LAST_ERROR_COOKIE].value == second
        staff = client_as(operator)
        workbench = staff.get("/accounts/workbench/").content.decode()
        page = staff.get("/ops/errors/", {"number": number}).content.decode()
        today = staff.get("/ops/errors/").content.decode()

    card = workbench[workbench.index('href="/ops/health/"') :].split("</a>")[0]
    assert "系统运行监控" in card and "今日错误 2" in card

    found = page[page.index('data-testid="error-found"') :]
    assert "/explode/?q=1" in found
    assert "RuntimeError: boom: secret internal detail" in found
    assert "企业用户" in found and "打开页面" in found and "10:30:00" in found
    assert number in today and second in today
    recorded = ServerError.objects.get(number=number)
    assert recorded.role == "enterprise" and "Traceback" in recorded.traceback
    assert len(recorded.request_id) == 32


@pytest.mark.req("OPS-1")
def test_an_unknown_number_gets_a_chinese_answer(operator, client_as):
    response = client_as(operator).get("/ops/errors/", {"number": "20261130-9999"})

    assert response.status_code == 404
    assert "没有找到错误编号“20261130-9999”" in response.content.decode()


@pytest.mark.urls("qihub.core.tests.urls_failing")
def test_recording_that_fails_still_shows_the_500_page_with_a_number(db, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ServerError.objects, "create", broken)
    number = _explode(Client(raise_request_exception=False))

    assert not ServerError.objects.filter(number=number).exists()


@pytest.mark.parametrize("name", ["enterprise", "station_staff"])
def test_error_lookup_is_for_the_back_office_only(name, client_as, request):
    response = client_as(request.getfixturevalue(name)).get("/ops/errors/")

    assert response.status_code == 403


@pytest.mark.req("OPS-1")
@pytest.mark.urls("qihub.core.tests.urls_failing")
def test_the_health_page_shows_figures_and_two_svg_charts_in_chinese(
    enterprise, operator, client_as
):
    start = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        testing.demand(enterprise)
    with time_machine.travel(start + dt.timedelta(days=7), tick=False):
        failing = Client(raise_request_exception=False)
        _explode(failing)
        browser = client_as(operator)
        page = browser.get("/ops/health/").content.decode()
        errors_svg = browser.get("/ops/health/charts/errors.svg")
        overdue_svg = browser.get("/ops/health/charts/overdue.svg")

    main = page.split("<main")[1].split(">", 1)[1].split("</main>")[0]
    for label in ("数据库响应时间", "待发送消息", "最近一次时限巡检", "数据目录剩余空间"):
        assert label in main
    assert 'data-testid="figure-errors"><a href="/ops/errors/">1 个' in main
    assert "/ops/health/charts/errors.svg" in main and "/ops/health/charts/overdue.svg" in main
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"<[^>]+>", " ", main).replace("&nbsp;", ""))
    for svg in (errors_svg, overdue_svg):
        assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
        assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content
    assert "今日系统错误".encode() in errors_svg.content
    assert "超时未办结的时限".encode() in overdue_svg.content


@pytest.mark.req("OPS-1")
def test_the_last_clock_sweep_shows_on_the_health_page(operator, client_as):
    from qihub.deadlines.tasks import sweep_clocks

    with time_machine.travel(AT, tick=False):
        sweep_clocks.call_local()
        page = client_as(operator).get("/ops/health/").content.decode()

    assert 'data-testid="figure-sweep">2026-11-30 10:30<' in page


@pytest.mark.req("OPS-1")
@override_settings(QIHUB_METRICS_TOKEN="s3cret-token-for-tests")
@pytest.mark.urls("qihub.core.tests.urls_failing")
def test_metrics_need_the_token_or_an_operator_and_carry_the_platform_gauges(
    enterprise, operator, client_as
):
    _explode(Client(raise_request_exception=False))

    anonymous = Client().get("/metrics")
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    member = client_as(enterprise).get("/metrics")
    machine = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-tests")
    staff = client_as(operator).get("/metrics")

    assert anonymous.status_code == wrong.status_code == member.status_code == 403
    assert machine.status_code == staff.status_code == 200
    text = machine.content.decode()
    assert "qihub_outbox_waiting " in text and "qihub_clocks_overdue" in text
    assert re.search(r"^qihub_errors_today 1\.0$", text, re.M)
    assert "django_http_requests_total_by_method_total" in text


@pytest.mark.req("OPS-1")
@pytest.mark.urls("qihub.core.tests.urls_failing")
def test_a_json_log_line_carries_the_request_id_and_path(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/explode/")

    record = [r for r in caplog.records if r.name == "django.request"][0]
    RequestIdLogFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))

    assert line["request_id"] == response["X-Request-ID"]
    assert line["path"] == "/explode/" and line["level"] == "ERROR"
    assert line["logger"] == "django.request" and "Internal Server Error" in line["message"]
    assert set(line) >= {"time", "user_id"}


@pytest.mark.req("OPS-1")
def test_the_json_log_option_writes_one_json_object_a_line(tmp_path):
    import os
    import subprocess
    import sys

    script = (
        "import django, logging; django.setup(); "
        "from qihub.core.middleware import current_request_id; "
        "current_request_id.set('abc123def456'); "
        "logging.getLogger('qihub.probe').warning('磁盘空间不足')"
    )
    env = {
        **os.environ,
        "QIHUB_LOG_FORMAT": "json",
        "DJANGO_SETTINGS_MODULE": "qihub.settings",
        "QIHUB_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )

    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    probe = [line for line in lines if line["logger"] == "qihub.probe"]
    assert probe == [
        {
            "time": probe[0]["time"],
            "level": "WARNING",
            "logger": "qihub.probe",
            "request_id": "abc123def456",
            "user_id": None,
            "path": None,
            "message": "磁盘空间不足",
        }
    ], done.stderr
