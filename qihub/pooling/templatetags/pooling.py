"""The batch offers on a demand's page (DEM-13): the enterprise answers there."""

from django import template

from qihub.demands.models import Demand
from qihub.pooling import workflow
from qihub.pooling.actions import ACTIONS
from qihub.pooling.forms import AnswerForm, DeclineForm
from qihub.pooling.models import BatchMember, BatchStatus

register = template.Library()


@register.inclusion_tag("pooling/demand_offers.html", takes_context=True)
def batch_offers(context: template.Context, demand: Demand) -> dict:
    user = context.get("user")
    rows = []
    for member in (
        BatchMember.objects.filter(demand=demand)
        .exclude(batch__status=BatchStatus.OFFERING)
        .select_related("batch__institution", "batch__service", "order")
    ):
        batch = member.batch
        can = ACTIONS.buttons(user, batch) if member.answer == "" else {}
        rows.append(
            {
                "member": member,
                "batch": batch,
                "can": can,
                "due": workflow.answer_due(member) if member.answer == "" else None,
                "answer_form": AnswerForm(initial={"version": batch.version}),
                "decline_form": DeclineForm(
                    initial={"version": batch.version}, auto_id=f"id_{batch.number}_%s"
                ),
            }
        )
    return {"rows": rows, "csrf_token": context.get("csrf_token")}
