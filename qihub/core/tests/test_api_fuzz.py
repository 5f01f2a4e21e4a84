"""Schemathesis over the whole JSON API, per role (reliability bar B8, issue 13).

Every operation of /api/v1/openapi.json is called with generated parameters and bodies (the
form-encoded bodies are documented from the pages' forms, `qihub.core.api.form_body`) as a
visitor, an enterprise, an institution and an operator. No answer may be a 5xx.

Bounded: `EXAMPLES` cases per operation and persona, valid and invalid (schemathesis' positive
and negative modes), derandomized, no shrinking, no example database, a time budget per persona;
in process through Django's WSGI handler (nothing listens on a port), inside the test's
transaction (nothing written outside the database and the test's data directory).
Path parameters are drawn half from generated strings and half from real records seeded below,
so the actions reach their forms and the workflow, not only the 404.
"""

import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from qihub.accounts.models import Organisation
from qihub.core import testing

# 20 in every run; the release ("bar") run sets QIHUB_FUZZ_EXAMPLES=100 (reliability bar B8).
EXAMPLES = int(os.environ.get("QIHUB_FUZZ_EXAMPLES", "20"))
# A persona's run stops (and fails) past this many seconds per operation: in process no request
# timeout applies, so a hang would otherwise never end. Per operation, because the API grows
# (284 operations took 240 s of a shared CI machine at 20 examples; the old flat 240 s ran out).
BUDGET_SECONDS_PER_OPERATION = 0.1 * EXAMPLES
FUZZED = ["visitor", "enterprise", "institution", "operator"]


@contextmanager
def _in_test_transaction() -> Iterator[None]:
    """As Django's test client does: a request's end must not close the connection that holds
    the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _session_cookies(user) -> dict[str, str]:
    """The cookies of a signed-in session (staff with a verified second factor, as conftest's
    client_as), plus a CSRF token: the API checks it for session-authenticated POSTs."""
    token = _get_new_csrf_string()
    cookies = {"csrftoken": token}
    if user is not None:
        client = Client()
        client.force_login(user)
        if user.needs_second_factor:
            device = TOTPDevice.objects.get_or_create(user=user, name="模糊测试", confirmed=True)[0]
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        cookies["sessionid"] = client.cookies["sessionid"].value
    return cookies


def _seed(enterprise, institution, client_as) -> dict[str, str]:
    """One record of each kind the API addresses, shared by the personas under test."""
    org = testing.institution(account=institution, name="模糊测试计量院")
    Organisation.objects.filter(account=enterprise).exists() or testing.OrganisationFactory(
        account=enterprise, name="模糊测试企业"
    )
    demand = testing.demand(enterprise, shortlist=[org])
    order = testing.order(enterprise, institution_org=org)
    as_client = client_as(enterprise)
    complaint = as_client.post(
        "/api/v1/complaints",
        {
            "target": "institution",
            "against": org.uscc,
            "type": _complaint_type(),
            "content": "检定证书迟迟未出具",
            "request": "尽快出具证书",
        },
    ).json()
    opinion = as_client.post(
        "/api/v1/opinions", {"kind": "suggestion", "content": "希望增加夜间服务"}
    ).json()
    from qihub.onboarding.models import Application

    application = Application.objects.order_by("pk").first()
    return {
        "demands": demand.number,
        "orders": order.number,
        "complaints": complaint.get("number", "TS000000000"),
        "opinions": opinion.get("number", "YJ000000000"),
        "rectifications": "ZG000000000",
        "registrations": str(application.pk) if application else "1",
        "institutions": org.uscc,
    }


def _complaint_type() -> str:
    from qihub.complaints.models import ComplaintType

    found = ComplaintType.objects.filter(active=True).first()
    return str(found.pk) if found else ""


def _path_strategy(operation, real: dict[str, str]):
    """Valid and invalid inputs; half the cases on a real record (when the path names one)."""
    generated = st.one_of(
        operation.as_strategy(),
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
    )
    names = [p.name for p in operation.path_parameters]
    if not names:
        return generated
    collection = operation.path.strip("/").split("/")[2]  # /api/v1/<collection>/{key}/…
    key = real.get(collection)
    if key is None:
        return generated
    value = {"kind": "enterprise"}.get(names[0], key)
    return st.one_of(generated, operation.as_strategy(path_parameters={names[0]: value}))


@pytest.mark.fuzz
@pytest.mark.one_pass
@pytest.mark.parametrize("persona", FUZZED, indirect=True)
def test_no_operation_answers_5xx(persona, enterprise, institution, operator, client_as):
    name, user = persona
    real = _seed(enterprise, institution, client_as)
    app = WSGIHandler()
    with _in_test_transaction():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        budget = BUDGET_SECONDS_PER_OPERATION * len(operations)
        cookies = _session_cookies(user)
        headers = {"X-CSRFToken": cookies["csrftoken"]}
        failures: list[str] = []
        calls = 0
        statuses: Counter[int] = Counter()
        started = time.monotonic()
        for operation in operations:
            if time.monotonic() - started > budget:
                failures.append(f"over the {budget:.0f} s budget before {operation.label}")
                break

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=_path_strategy(operation, real))
            def run(case):
                nonlocal calls
                calls += 1
                try:
                    response = case.call(app=app, headers=headers, cookies=cookies)
                    statuses[response.status_code] += 1
                    case.validate_response(response, checks=[not_a_server_error])
                except Exception as exc:  # collected, reported together below
                    failures.append(f"{case.operation.label}: {str(exc)[:2000]}")

            run()
        elapsed = time.monotonic() - started
    print(f"{name}: {len(operations)} operations, {calls} calls, {elapsed:.1f} s, {dict(statuses)}")
    assert len(operations) >= 50
    assert not failures, "\n\n".join(failures[:20])
