"""Ordering from a demand's shortlist through the pages, as a client does: the demand is
published, a staff member responds and sends a shortlist with the lab on it, and the client
follows the lab's 下单 button on the demand page into the order form it opens."""

import re

from qihub.demands.models import Demand
from qihub.orders.models import Order

PIPE = {
    "category": "testing",
    "title": "PE 给水管静液压强度检测",
    "description": "我司生产 PE 给水管，需要按 GB/T 6111-2018 做静液压强度检测，出具 CMA 报告",
    "product": "塑料管材",
    "standard": "GB/T 6111-2018",
    "region": "320211",
    "allow_similar": "on",
}


def recommended_demand(client_as, company, lab, staff) -> Demand:
    """A demand of `company` whose shortlist, with `lab` on it, was sent by `staff`."""
    ent, desk = client_as(company), client_as(staff)
    ent.post("/demands/new/", PIPE)
    demand = Demand.objects.filter(client=company).order_by("-pk").first()
    desk.post(f"/demands/{demand.number}/respond/", {"version": demand.version})
    demand.refresh_from_db()
    items = demand.recommendation.items.all()
    if not items.filter(organisation=lab, included=True).exists():
        desk.post(
            f"/demands/{demand.number}/shortlist/",
            {
                "version": demand.version,
                "included": [i.organisation_id for i in items.filter(included=True)],
                "add": lab.name,
            },
        )
        demand.refresh_from_db()
    desk.post(f"/demands/{demand.number}/send/", {"version": demand.version})
    demand.refresh_from_db()
    assert demand.status == "recommended", demand.status
    return demand


def order_link(ent, demand: Demand, lab) -> str:
    """The href of the lab's 下单 button on the demand page ("" when there is none)."""
    page = ent.get(f"/demands/{demand.number}/").content.decode()
    item = re.search(rf'data-uscc="{lab.uscc}"(.*?)</li>', page, re.S)
    link = item and re.search(r'data-testid="order-from-shortlist" href="([^"]+)"', item.group(1))
    return link.group(1).replace("&amp;", "&") if link else ""


def order_from_shortlist(ent, demand: Demand, lab, description: str = "PE 管", quantity: int = 1):
    """Follow the 下单 button and send the order form as the page renders it."""
    link = order_link(ent, demand, lab)
    assert link, "no 下单 button for the lab on the demand page"
    form = ent.get(link).content.decode()
    hidden = re.search(r'name="demand" value="([^"]*)"', form)
    assert hidden, "the order form carries no demand field"
    response = ent.post(
        link.split("?")[0],
        {"description": description, "quantity": quantity, "demand": hidden.group(1)},
    )
    return response, Order.objects.filter(client=demand.client).order_by("-pk").first()
