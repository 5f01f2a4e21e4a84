import pytest

from qihub.workstation import demo
from qihub.workstation.models import AllianceMember, Hospital, KeyProject, ManualVersion


@pytest.mark.req("BIO-8")
def test_demo_data_fills_the_workstation_pages_once(client_as, visitor, operator):
    operator.username = "demo_operator"
    operator.save(update_fields=["username"])
    demo.furnish()
    demo.furnish()
    assert ManualVersion.objects.count() == 2 and Hospital.objects.count() == 5
    assert AllianceMember.objects.count() == 5 and KeyProject.objects.count() == 1
    page = client_as(visitor).get("/workstation/match/", {"q": "灭菌"}).content.decode()
    assert "示例灭菌技术服务有限公司" in page
    assert client_as(operator).get("/workstation/figures/").status_code == 200
