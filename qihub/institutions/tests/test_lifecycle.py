"""Deregistration and qualification expiry (ACC-8), through pages, the sweep command and the API."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from qihub.accounts.models import Organisation
from qihub.institutions.models import Qualification
from qihub.notifications.models import Notification
from qihub.onboarding import workflow as onboarding
from qihub.onboarding.models import Application
from qihub.onboarding.tests import helpers
from qihub.workcal.calendar import TZ


@pytest.fixture
def institution_member(client, db, operator):
    helpers.submit(client, "institution", helpers.institution())
    onboarding.approve(Application.objects.get(), by=operator)
    return Organisation.objects.get()


def listed(client) -> list[str]:
    return [row["name"] for row in client.get("/api/v1/institutions").json()]


@pytest.mark.req("ACC-8")
def test_an_institution_deregisters_itself_and_leaves_search(client, institution_member, client_as):
    member = client_as(institution_member.account)
    assert listed(client) == ["无锡示例计量测试院"]

    unconfirmed = member.post("/institution/deregister/", {"reason": "停业"})
    done = member.post("/institution/deregister/", {"reason": "停业", "confirm": "on"})

    assert unconfirmed.status_code == 400 and "请勾选确认后再注销" in unconfirmed.content.decode()
    assert done.status_code == 302
    institution_member.refresh_from_db()
    assert institution_member.deregistered_at and not institution_member.listed
    assert not institution_member.account.is_active
    assert listed(client) == []
    assert institution_member.events.get().kind == "deregistered"


@pytest.mark.req("ACC-8")
def test_the_operator_deregisters_an_institution_whose_qualification_was_revoked(
    client, institution_member, client_as, operator, enterprise
):
    url = f"/ops/institutions/{institution_member.pk}/deregister/"

    refused = client_as(enterprise).post(url, {"reason": "x", "confirm": "on"})
    done = client_as(operator).post(url, {"reason": "CMA 资质被撤销", "confirm": "on"})

    assert refused.status_code == 403
    assert done.status_code == 302
    event = institution_member.events.get()
    assert (event.kind, event.by, event.note) == (
        "deregistered_by_platform",
        operator,
        "CMA 资质被撤销",
    )
    assert listed(client) == []
    assert Notification.objects.filter(
        recipient=institution_member.account, subject="您的机构已被平台注销"
    ).exists()


@pytest.mark.req("ACC-8")
def test_the_daily_sweep_warns_thirty_days_ahead_and_hides_when_all_have_expired(
    client, institution_member
):
    qualification = Qualification.objects.get()
    valid_until = qualification.valid_until
    warn_day = dt.datetime.combine(valid_until - dt.timedelta(days=30), dt.time(6), tzinfo=TZ)
    after = dt.datetime.combine(valid_until + dt.timedelta(days=1), dt.time(6), tzinfo=TZ)

    with time_machine.travel(warn_day, tick=False):
        first, second = io.StringIO(), io.StringIO()
        call_command("sweep", "--no-deliver", stdout=first)
        call_command("sweep", "--no-deliver", stdout=second)
        still_listed = listed(client)
    with time_machine.travel(after, tick=False):
        call_command("sweep", "--no-deliver", stdout=io.StringIO())
        call_command("sweep", "--no-deliver", stdout=io.StringIO())
        hidden = listed(client)

    assert "资质到期预警 1 项" in first.getvalue() and "资质到期预警 0 项" in second.getvalue()
    assert still_listed == ["无锡示例计量测试院"] and hidden == []
    institution_member.refresh_from_db()
    assert not institution_member.listed and institution_member.deregistered_at is None
    assert [e.kind for e in institution_member.events.all()] == ["hidden_expired"]
    warnings = Notification.objects.filter(
        recipient=institution_member.account, subject__contains="到期", channel="inbox"
    )
    assert warnings.count() == 2  # one 30-day warning, one "hidden" notice
