"""Demo data of the follow-up schedule (DEM-7): the demo demand put in service, so the operator's
待跟进 list and the demand's follow-up clock are not empty, with one follow-up already logged."""

from django.contrib.auth import get_user_model


def furnish_follow_up() -> None:
    """Once: only while the demo demand is still waiting for a response."""
    from qihub.demands import workflow
    from qihub.demands.models import ContactKind, Demand, DemandStatus
    from qihub.orders import workflow as orders

    users = get_user_model().objects
    operator = users.filter(username="demo_operator").first()
    lab = users.filter(username="demo_institution").first()
    demand = Demand.objects.filter(
        client__username="demo_enterprise", status=DemandStatus.PUBLISHED
    ).first()
    service = lab and lab.organisation.services.filter(price__isnull=False).first()
    if operator is None or demand is None or service is None:
        return
    demand = workflow.respond(demand, by=operator, version=demand.version, note="【演示】已受理")
    items = demand.recommendation.items
    kept = set(items.filter(included=True).values_list("organisation_id", flat=True))
    if lab.organisation.pk not in kept:
        listed = items.filter(organisation=lab.organisation).exists()
        workflow.edit_shortlist(
            demand,
            by=operator,
            version=demand.version,
            included=kept | ({lab.organisation.pk} if listed else set()),
            add=None if listed else lab.organisation,
        )
        demand.refresh_from_db()
    demand = workflow.send_recommendation(demand, by=operator, version=demand.version)
    orders.place(
        client=demand.client, service=service, description="【演示】压力表检定", demand=demand
    )
    workflow.log_contact(
        demand,
        by=operator,
        kind=ContactKind.FOLLOW_UP,
        method="电话",
        with_whom="企业设备科",
        summary="【演示】已与检定机构约定下周上门取表，企业无其他问题",
    )
