import pytest
from django.conf import settings

from conftest import PASSWORD


def post_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.req("OPS-2")
def test_login_with_the_right_password_opens_the_role_workbench(client, enterprise):
    response = post_login(client, "enterprise", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/workbench/"
    page = client.get("/accounts/workbench/").content.decode()
    assert "企业工作台" in page


@pytest.mark.req("OPS-2")
def test_wrong_password_shows_a_clear_chinese_message(client, enterprise):
    response = post_login(client, "enterprise", "wrong-password")

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.req("OPS-2")
def test_repeated_failures_lock_the_account_even_for_the_right_password(client, enterprise):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "enterprise", "wrong-password")

    response = post_login(client, "enterprise", PASSWORD)

    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.req("OPS-2")
def test_passwords_are_stored_with_argon2(enterprise):
    assert enterprise.password.startswith("argon2$")


def test_logout_is_a_post_and_ends_the_session(client_as, enterprise):
    client = client_as(enterprise)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert client.get("/accounts/workbench/").status_code == 302
