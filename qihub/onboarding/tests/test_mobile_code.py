"""Mobile numbers are confirmed by a one-time SMS code, rate-limited (ACC-2)."""

import datetime as dt

import pytest
import time_machine

from qihub.accounts.models import User
from qihub.onboarding.tests import helpers


@pytest.mark.req("ACC-2")
def test_the_code_from_the_sms_confirms_the_number_once(client, db):
    data = helpers.individual()

    sent = client.post("/register/mobile-code/", {"mobile": data["mobile"]})
    code = helpers.latest_code(data["mobile"])
    wrong = client.post(
        "/register/individual/", {**data, "mobile_code": "000000" if code != "000000" else "111111"}
    )
    right = client.post("/register/individual/", {**helpers.individual(), "mobile_code": code})

    assert sent.status_code == 200 and sent.json()["detail"].startswith("验证码已发送")
    assert "验证码不正确" in wrong.content.decode()
    assert right.status_code == 302
    assert User.objects.get().mobile_masked == data["mobile"][:3] + "****" + data["mobile"][-4:]


@pytest.mark.req("ACC-2")
def test_codes_are_rate_limited_and_expire(client, db):
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        first = client.post("/register/mobile-code/", {"mobile": "13600000001"})
        too_soon = client.post("/register/mobile-code/", {"mobile": "13600000001"})
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        code = helpers.latest_code("13600000001")
        expired = client.post(
            "/register/individual/",
            {**helpers.individual(mobile="13600000001"), "mobile_code": code},
        )
    for minute in range(2, 7):
        with time_machine.travel(start + dt.timedelta(minutes=minute * 2), tick=False):
            last = client.post("/register/mobile-code/", {"mobile": "13600000002"})
    bad_number = client.post("/register/mobile-code/", {"mobile": "12345"})

    assert first.status_code == 200
    assert too_soon.status_code == 429 and "秒后再试" in too_soon.json()["detail"]
    assert "验证码已过期" in expired.content.decode()
    assert last.status_code == 200  # five a day are fine
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        sixth = client.post("/register/mobile-code/", {"mobile": "13600000002"})
    assert sixth.status_code == 400 and "次数过多" in sixth.json()["detail"]
    assert bad_number.status_code == 400 and "11 位" in bad_number.json()["detail"]


@pytest.mark.req("ACC-2")
def test_the_page_asks_for_the_code_without_leaving_the_form(client, db):
    response = client.post(
        "/register/mobile-code/", {"mobile": "13600000003"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert 'data-testid="code-status">验证码已发送' in response.content.decode()
