import pytest

from qihub.bookings.tests.conftest import window  # noqa: F401  (a station window)
from qihub.core import testing
from qihub.instruments.models import Instrument

FORM = {
    "name": "电感耦合等离子体发射光谱仪",
    "model": "ICP-OES 5110",
    "maker": "安捷伦科技",
    "capabilities": "金属元素含量分析，检出限 0.1 微克每升；可测铅、镉、铬等重金属",
    "location": "无锡市滨湖区检测大楼三楼",
    "modes": ["test", "operate"],
    "price_per_sample": "200",
    "price_per_hour": "300",
    "rules": "上机前须参加培训",
    "listed": "on",
    # Every day 9–17 so the next free slots never depend on the weekday the test runs.
    "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
    "opens": "09:00",
    "closes": "17:00",
    "slot_minutes": "60",
    "needs_approval": "on",
}


@pytest.fixture
def lab(institution):
    return testing.institution("无锡示例检测院", account=institution)


@pytest.fixture
def instrument(lab, institution, client_as) -> Instrument:
    """Registered by its owner through the workbench page, as an institution does."""
    response = client_as(institution).post("/instruments/new/", FORM)
    assert response.status_code == 302, response.content.decode()
    return Instrument.objects.get(name=FORM["name"])
