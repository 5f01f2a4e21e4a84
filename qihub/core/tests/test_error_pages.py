import logging
import re

import pytest
from django.test import Client

from qihub.core.middleware import RequestIdLogFilter


def test_unknown_url_gets_a_chinese_404_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    text = response.content.decode()
    assert "您访问的页面不存在" in text
    assert "返回首页" in text


@pytest.mark.urls("qihub.core.tests.urls_failing")
def test_server_error_gets_a_chinese_500_page_with_a_short_number_and_no_traceback(db, caplog):
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/explode/")

    assert response.status_code == 500
    text = response.content.decode()
    request_id = response["X-Request-ID"]
    assert "系统出现错误" in text
    # The page shows the short number a user can quote (OPS-1); the log keeps the request id.
    assert re.search(r'data-testid="error-number">\d{8}-\d{4}<', text)
    assert "Traceback" not in text and "secret internal detail" not in text
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged, "the server error was not logged"
    RequestIdLogFilter().filter(logged[0])
    assert logged[0].request_id == request_id
