import pytest
from django.db import connection


@pytest.mark.req("OPS-1")
def test_healthz_reports_database_queue_and_calendar(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "vendor": connection.vendor}
    assert body["queue"]["status"] == "ok"
    assert body["queue"]["pending"] >= 0
    assert body["calendar"]["official_through"] >= 2026
    assert response["X-Request-ID"]


@pytest.mark.req("OPS-1")
def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    class Unreachable:
        vendor = connection.vendor

        def cursor(self):
            raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr("qihub.core.health.connection", Unreachable())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"]["status"] == "error"
    assert response.json()["status"] == "error"


def test_api_serves_the_same_health_report_and_its_openapi(client, db):
    health = client.get("/api/v1/health")
    schema = client.get("/api/v1/openapi.json")

    assert health.status_code == 200
    assert set(health.json()) >= {"database", "queue", "calendar", "status"}
    assert schema.status_code == 200
    assert "/api/v1/health" in schema.json()["paths"]


def test_healthz_flags_a_current_year_without_an_official_calendar(client, db):
    import time_machine

    with time_machine.travel("2027-03-01 09:00 +0800", tick=False):
        body = client.get("/healthz").json()

    assert body["calendar"]["status"] == "provisional"
    assert body["calendar"]["official_through"] == 2026
    assert body["status"] == "ok"  # a provisional calendar is a warning, not an outage
