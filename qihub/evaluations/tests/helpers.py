"""A served order end to end through the pages: demand → response and shortlist sent by a staff
member → the client's 下单 on the shortlist → confirmed and completed → evaluated by the client."""

from qihub.evaluations.models import Evaluation
from qihub.orders.models import Order
from qihub.orders.tests.helpers import PIPE, order_from_shortlist, recommended_demand
from qihub.orders.tests.test_orders import service

__all__ = ["PIPE", "SCORES", "served_order"]

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
    item = lab.services.filter(category=PIPE["category"], published=True).first() or service(lab)
    if staff is not None:
        demand = recommended_demand(client_as, company, lab, staff)
        _, order = order_from_shortlist(ent, demand, lab)
        assert order is not None and order.demand_id == demand.pk
    else:
        ent.post(f"/orders/new/{item.pk}/", {"description": "PE 管", "quantity": 1})
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
