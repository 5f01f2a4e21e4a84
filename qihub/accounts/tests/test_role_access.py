"""Permission matrix: each persona against the workbench and the back office."""

import pytest

from conftest import ALL_PERSONAS
from qihub.accounts.navigation import WORKBENCH_LABELS

BACK_OFFICE = {"operator", "supervisor", "admin"}


@pytest.mark.parametrize("persona", ALL_PERSONAS, indirect=True)
def test_workbench_is_for_members_and_names_their_role(persona, client_as):
    name, user = persona

    response = client_as(user).get("/accounts/workbench/")

    if user is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 200
        assert WORKBENCH_LABELS[user.role] in response.content.decode()


@pytest.mark.parametrize("persona", ALL_PERSONAS, indirect=True)
def test_back_office_is_only_for_operator_supervisor_and_admin(persona, client_as):
    name, user = persona

    response = client_as(user).get("/admin/")

    if name in BACK_OFFICE:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("persona", ALL_PERSONAS, indirect=True)
def test_navigation_fits_the_role(persona, client_as):
    name, user = persona

    page = client_as(user).get("/").content.decode()

    assert "平台信息公开" in page
    if user is None:
        assert "登录" in page and "工作台" not in page
    else:
        assert WORKBENCH_LABELS[user.role] in page
        # Only superusers see the Django admin in the navigation (the admin persona is one).
        assert ("管理后台" in page) == user.is_superuser
        assert ("时限监控" in page) == (name in BACK_OFFICE)
