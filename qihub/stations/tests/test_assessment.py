"""The yearly assessment of a station (STA-5): staffing (at least two full-time staff and a
named head, SJ 5.1, QHD 5.5.1), training hours, campaigns and the activity of the year
(demands taken in, visits), on the Annex B window checklist; a page, the API and an export."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import UserFactory
from qihub.accounts.models import Role
from qihub.demands.models import Channel, Demand, DemandStatus, Visit
from qihub.stations.models import Membership


@pytest.fixture
def activity(station, head, station_staff):
    Membership.objects.create(station=station, user=station_staff, full_time=False)
    for n in range(3):
        Demand.objects.create(
            number=f"XQ2026{n:04d}",
            client=UserFactory(username=f"c{n}", role=Role.ENTERPRISE),
            channel=Channel.choices[0][0],
            entered_by=station_staff,
            category="testing",
            title="检测",
            description="检测需求",
            region="320211",
            status=DemandStatus.choices[0][0],
            published_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
        )
    for day in (dt.date(2026, 4, 1), dt.date(2025, 4, 1)):  # last year's visit does not count
        Visit.objects.create(
            station_staff=station_staff, enterprise_name="某企业", visited_on=day, summary="走访"
        )


@pytest.mark.req("STA-5")
def test_the_yearly_assessment_shows_staffing_activity_and_takes_training_hours(
    client_as, operator, station, head, station_staff, activity
):
    staff = client_as(operator)
    before = staff.get(f"/stations/{station.pk}/assessment/2026/").content.decode()
    saved = staff.post(
        f"/stations/{station.pk}/assessment/2026/",
        {"training_hours": 24, "campaigns": 3, "note": "制度健全"},
    )
    Membership.objects.filter(user=station_staff).update(full_time=True)
    api = staff.get(f"/api/v1/stations/{station.pk}/assessment/2026").json()
    api_saved = staff.post(
        f"/api/v1/stations/{station.pk}/assessment/2026",
        {"training_hours": 30, "campaigns": 4, "note": ""},
    )
    export = staff.get(f"/stations/{station.pk}/assessment/2026.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))

    assert 'data-testid="staffing">不符合' in before  # one full-time member only
    assert saved.status_code == 302
    assert api["full_time"] == 2 and api["staffing_ok"] is True and api["head"] == head.party_name
    assert api["demands"] == 3 and api["visits"] == 1 and api["training_hours"] == 24
    assert api_saved.status_code == 200 and api_saved.json()["training_hours"] == 30
    assert rows[0][:6] == ("站点", "年度", "工作人员", "专职人员", "运营负责人", "人员配备")
    assert rows[1][0] == "无锡市服务站" and rows[1][5] == "符合" and rows[1][6] == 30
    assert quote("无锡市服务站2026年度考核.xlsx") in export["Content-Disposition"]


@pytest.mark.req("STA-5")
def test_bad_figures_are_refused_with_the_field_named(client_as, operator, station):
    staff = client_as(operator)
    page = staff.post(f"/stations/{station.pk}/assessment/2026/", {"training_hours": "很多"})
    api = staff.post(f"/api/v1/stations/{station.pk}/assessment/2026", {"training_hours": -1})

    far = staff.get(f"/api/v1/stations/{station.pk}/assessment/99999")
    far_page = staff.get(f"/stations/{station.pk}/assessment/99999/")

    assert far.status_code == far_page.status_code == 404
    assert page.status_code == 400 and "培训学时：格式不正确" in page.content.decode()
    assert api.status_code == 422 and "培训学时" in api.json()["errors"]["training_hours"][0]
    assert not station.assessments.exists()


@pytest.mark.req("STA-5")
def test_station_staff_read_their_own_assessment_only_and_cannot_score_it(
    client_as, station, head, elsewhere
):
    year = timezone.localdate().year
    mine = client_as(head)
    own = mine.get(f"/stations/{station.pk}/assessment/{year}/")
    own_list = mine.get("/stations/assessments/").content.decode()
    score = mine.post(f"/stations/{station.pk}/assessment/{year}/", {"training_hours": 99})
    score_api = mine.post(f"/api/v1/stations/{station.pk}/assessment/{year}", {"training_hours": 9})
    stranger = client_as(elsewhere)
    other = stranger.get(f"/stations/{station.pk}/assessment/{year}/")
    other_api = stranger.get(f"/api/v1/stations/{station.pk}/assessment/{year}")
    other_export = stranger.get(f"/stations/{station.pk}/assessment/{year}.xlsx")
    other_list = stranger.get("/stations/assessments/").content.decode()

    assert own.status_code == 200 and "无锡市服务站" in own_list
    assert score.status_code == 403 and score_api.status_code == 403
    assert other.status_code == other_api.status_code == other_export.status_code == 404
    assert "无锡市服务站" not in other_list and "常州市服务站" in other_list


@pytest.mark.req("STA-5")
def test_the_window_checklist_list_leads_to_this_years_assessment(client_as, operator, station):
    staff = client_as(operator)
    listing = staff.get("/ops/stations/").content.decode()
    followed = staff.get(f"/stations/{station.pk}/assessment/", follow=True)

    assert f'href="/stations/{station.pk}/assessment/"' in listing
    year = timezone.localdate().year
    assert followed.redirect_chain[-1][0] == f"/stations/{station.pk}/assessment/{year}/"
    assert f"{year} 年度考核" in followed.content.decode()
