"""The institution's listing on the one workflow mechanism (ACC-8): every change of `listed`
is one event with from/to listing and before/after values; restoring is the operator's move."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from qihub.institutions.models import Qualification
from qihub.institutions.tests.test_lifecycle import institution_member, listed  # noqa: F401
from qihub.workcal.calendar import TZ


@pytest.mark.req("ACC-8")
def test_hidden_on_expiry_then_restored_by_an_operator_once_valid_again(
    client,
    institution_member,  # noqa: F811
    client_as,
    operator,
    supervisor,
):
    qualification = Qualification.objects.get()
    after = dt.datetime.combine(
        qualification.valid_until + dt.timedelta(days=1), dt.time(6), tzinfo=TZ
    )
    url = f"/ops/institutions/{institution_member.pk}/restore/"
    with time_machine.travel(after, tick=False):
        call_command("sweep", "--no-deliver", stdout=io.StringIO())
        too_early = client_as(operator).post(url, {"note": ""}, follow=True)
        Qualification.objects.update(valid_until=after.date() + dt.timedelta(days=365))
        by_supervisor = client_as(supervisor).post(url, {"note": "x"})
        page = client_as(operator).get("/ops/institutions/").content.decode()
        restored = client_as(operator).post(url, {"note": "已换发新证"})
        again = client_as(operator).post(url, {"note": ""}, follow=True)
        shown = listed(client)

    assert "恢复显示：该机构没有有效期内的资质" in too_early.content.decode()
    assert by_supervisor.status_code == 403
    assert "恢复显示" in page and restored.status_code == 302
    assert "当前状态（正常显示）不能恢复显示" in again.content.decode()
    assert shown == ["无锡示例计量测试院"]
    rows = [
        (e.kind, e.from_status, e.to_status, e.before, e.after, e.by)
        for e in institution_member.events.all()
    ]
    assert rows == [
        ("hidden_expired", "listed", "hidden", {"listed": True}, {"listed": False}, None),
        ("restored", "hidden", "listed", {"listed": False}, {"listed": True}, operator),
    ]


@pytest.mark.req("ACC-8")
def test_deregistration_keeps_the_listing_before_and_after(
    institution_member,  # noqa: F811
    client_as,
):
    client_as(institution_member.account).post(
        "/institution/deregister/", {"reason": "停业", "confirm": "on"}
    )

    event = institution_member.events.get()
    assert (event.kind, event.from_status, event.to_status) == (
        "deregistered",
        "listed",
        "deregistered",
    )
    assert event.before == {"deregistered_at": None, "listed": True}
    assert event.after["listed"] is False and event.after["deregistered_at"]
