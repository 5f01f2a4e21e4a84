import importlib

from django.test import override_settings
from django.urls import clear_url_caches

import qihub.urls


def reload_urls():
    clear_url_caches()
    importlib.reload(qihub.urls)


def test_the_bench_baseline_page_exists_only_when_the_bench_asks_for_it(db, client):
    assert client.get("/bench/baseline/").status_code == 404
    with override_settings(QIHUB_BENCH_BASELINE=True):
        reload_urls()
        response = client.get("/bench/baseline/")
    reload_urls()
    assert response.status_code == 200
    assert "基准页" in response.content.decode()
    assert client.get("/bench/baseline/").status_code == 404


def test_the_bare_bench_page_answers_without_template_only_when_the_bench_asks_for_it(db, client):
    assert client.get("/bench/bare/").status_code == 404
    with override_settings(QIHUB_BENCH_BASELINE=True):
        reload_urls()
        response = client.get("/bench/bare/")
    reload_urls()
    assert response.status_code == 200
    assert response.content.decode() == "裸视图"
    assert client.get("/bench/bare/").status_code == 404
