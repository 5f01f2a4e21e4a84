import pytest
from django.core.management import call_command

from qihub.accounts.models import User
from qihub.pooling.models import Batch


@pytest.mark.req("DEM-13")
def test_the_demo_has_a_pooled_batch_offered_to_two_enterprises(client_as, db):
    call_command("seed-demo", stdout=None)
    call_command("seed-demo", stdout=None)  # twice: nothing doubled
    batch = Batch.objects.get()
    assert batch.members.count() == 2
    operator = client_as(User.objects.get(username="demo_operator"))
    groups_page = operator.get("/pooling/")
    assert groups_page.status_code == 200
    detail = operator.get(f"/pooling/batches/{batch.number}/").content.decode()
    assert "【演示】压力表检定批量委托" in detail
    assert batch.status == "offered"
    firm = client_as(User.objects.get(username="demo_enterprise"))
    assert "批量报价" in firm.get("/accounts/workbench/").content.decode()
    demand = batch.members.get(demand__client__username="demo_enterprise").demand
    offer = firm.get(f"/demands/{demand.number}/").content.decode()
    assert "每家企业 ¥30.00" in offer and "节省 ¥5.00" in offer
