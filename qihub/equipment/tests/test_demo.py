import pytest
from django.core.management import call_command

from qihub.accounts.models import User
from qihub.equipment.models import Item


@pytest.mark.req("ENT-1")
def test_the_demo_enterprise_has_ten_instruments_and_three_special_equipment_items(client_as, db):
    call_command("seed-demo", stdout=None)
    call_command("seed-demo", stdout=None)  # twice: nothing doubled
    web = client_as(User.objects.get(username="demo_enterprise"))

    ledger = web.get("/equipment/instruments/?status=overdue").content.decode()
    special = web.get("/equipment/special/").content.decode()
    workbench = web.get("/accounts/workbench/").content.decode()

    assert Item.objects.filter(kind="instrument").count() == 10
    assert Item.objects.exclude(kind="instrument").count() == 3
    assert "电子天平" in ledger and "燃气蒸汽锅炉" in special
    assert "计量器具台账" in workbench and "特种设备台账" in workbench
