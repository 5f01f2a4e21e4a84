"""A served order end to end through the pages: demand → response by a staff member → order from
the demand → confirmed and completed → evaluated by the client."""

from qihub.demands.models import Demand
from qihub.evaluations.models import Evaluation
from qihub.orders.models import Order
from qihub.orders.tests.test_orders import service

PIPE = {
    "category": "testing",
    "title": "PE 给水管静液压强度检测",
    "description": "我司生产 PE 给水管，需要按 GB/T 6111-2018 做静液压强度检测，出具 CMA 报告",
    "product": "塑料管材",
    "standard": "GB/T 6111-2018",
    "region": "320211",
    "allow_similar": "on",
}
SCORES = {
    "process": 5,
    "timeliness": 5,
    "attitude": 5,
    "competence": 5,
    "overall": 5,
    "comment": "",
}


def served_order(client_as, company, lab, staff=None, **scores) -> Order:
    """Evaluated with `scores` (all 5 unless given); not evaluated when scores is {"overall": None}."""
    ent = client_as(company)
    demand = None
    if staff is not None:
        ent.post("/demands/new/", PIPE)
        demand = Demand.objects.order_by("-pk").first()
        client_as(staff).post(f"/demands/{demand.number}/respond/", {"version": demand.version})
    item = lab.services.first() or service(lab)
    ent.post(
        f"/orders/new/{item.pk}/",
        {"description": "PE 管", "quantity": 1, "demand": demand.number if demand else ""},
    )
    order = Order.objects.order_by("-pk").first()
    lab_client = client_as(lab.account)
    lab_client.post(f"/orders/{order.number}/confirm/", {"version": order.version})
    order.refresh_from_db()
    lab_client.post(f"/orders/{order.number}/complete/", {"version": order.version})
    order.refresh_from_db()
    if scores.get("overall", 5) is not None:
        ent.post(f"/orders/{order.number}/evaluate/", {**SCORES, **scores})
        assert Evaluation.objects.filter(order=order).exists()
    return order
