"""The page shell (base.html) reverses its fixed links and looks up its assets once per process
(`shell_url`, `shell_static`; issue 23). The pages must be byte for byte what `{% url %}` and
`{% static %}` gave."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

BASE = Path(django_settings.BASE_DIR) / "templates" / "base.html"
# Per request or per render: the masked CSRF token and the CSP nonce.
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')


def _with_django_tags(source: str) -> str:
    source = source.replace("{% load ui %}", "{% load static %}", 1)
    source = re.sub(r"\{% shell_url ('[^']+') %\}", r"{% url \1 %}", source)
    return re.sub(r"\{% shell_static ('[^']+') %\}", r"{% static \1 %}", source)


def _django_tags_templates() -> list[dict]:
    engine = dict(django_settings.TEMPLATES[0])
    options = dict(engine["OPTIONS"])
    options["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {"base.html": _with_django_tags(BASE.read_text(encoding="utf-8"))},
        ),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    return [{**engine, "APP_DIRS": False, "OPTIONS": options}]


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return TOKEN.sub("", response.content.decode())


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("visitor", "/"),
        ("visitor", "/services/"),
        ("enterprise", "/inbox/"),
        ("operator", "/accounts/workbench/"),
    ],
)
def test_the_shell_is_byte_identical_to_the_one_drawn_with_url_and_static(
    request, client_as, who, path
):
    assert "shell_url" in BASE.read_text(encoding="utf-8")
    client = client_as(request.getfixturevalue(who))
    ours = _page(client, path)
    with override_settings(TEMPLATES=_django_tags_templates()):
        theirs = _page(client, path)
    assert ours == theirs
    assert 'href="/"' in ours and "/static/qihub/site.js" in ours
