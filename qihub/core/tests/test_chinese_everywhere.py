"""Issue 15, "Chinese everywhere": each leak of English or internal text, driven through the
page as the persona who meets it."""

import pytest
from django import forms

from qihub.core.tests.test_no_english_leaks import page_text


@pytest.mark.req("OPS-4")
def test_a_select_left_empty_asks_in_chinese(operator, client_as):
    text = page_text(client_as(operator).get("/ops/satisfaction/").content.decode())
    assert "---------" not in text
    assert "请选择" in text


@pytest.mark.req("OPS-4")
def test_every_empty_choice_is_chinese_once_for_all_forms(db):
    from django.db import models

    from qihub.accounts.models import Role, Station

    class Any(forms.Form):
        role = models.CharField(choices=Role.choices, blank=True).formfield()
        station = forms.ModelChoiceField(Station.objects.all(), required=False)

    html = str(Any())
    assert "---------" not in html
    assert html.count("请选择") == 2  # the model field's choices and the model choice field
