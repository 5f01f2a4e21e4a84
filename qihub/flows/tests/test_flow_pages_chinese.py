"""The pages of BIO-1/BIO-2 say everything in Chinese for each role that reaches them (the
crawl's own word check, run here on just these pages so it is quick)."""

import re

import pytest
from django.core.management import call_command

from qihub.accounts.models import Role, User
from qihub.flows.models import FlowRun
from tests.browser.test_crawl import latin_words

PHARMA = [
    "drug-production-licence",
    "drug-business-licence",
    "device-registration",
    "device-production-licence",
    "device-business",
    "internet-drug-information",
    "drug-testing",
    "cleanroom-testing",
]


def _text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", html)
    return re.sub(r"(?s)<[^>]+>", " ", html)


@pytest.mark.req("BIO-2")
def test_flow_and_pharma_pages_show_no_latin_words(client_as, db):
    call_command("seed-demo", stdout=None)
    run = FlowRun.objects.get()
    pages = ["/flows/", f"/flows/runs/{run.number}/", "/accounts/workbench/", "/services/"]
    pages += [f"/flows/start/{code}/" for code in "ABCDEF"]
    pages += [f"/services/{code}/" for code in PHARMA]
    operator_pages = ["/ops/flows/", *[f"/ops/flows/{code}/" for code in "ABCDEF"]]
    found = {}
    for username, extra in [("demo_enterprise", []), ("demo_operator", operator_pages)]:
        client = client_as(User.objects.get(username=username))
        for path in pages + extra:
            response = client.get(path)
            assert response.status_code == 200, path
            words = latin_words(_text(response.content.decode()))
            if words:
                found[(username, path)] = words
    staff = client_as(User.objects.filter(role=Role.STATION_STAFF).first())
    assert staff.get(f"/flows/runs/{run.number}/").status_code == 200
    assert found == {}
