"""Workbench to-dos of the improvement plan (EVAL-10)."""

from django.db.models import QuerySet

from qihub.accounts.models import User
from qihub.accounts.todo import Todo
from qihub.improvement.models import ActionStatus, ImprovementPlan, PlanAction, PlanStatus


def my_open_actions(user: User) -> QuerySet:
    """The owner's actions of published plans not yet complete; late once their clock lapsed."""
    return PlanAction.objects.filter(owner=user, plan__status=PlanStatus.PUBLISHED).exclude(
        status=ActionStatus.DONE
    )


def draft_plans(user: User) -> QuerySet:
    """Plans the supervisor has still to publish."""
    return ImprovementPlan.objects.filter(status=PlanStatus.DRAFT)


MY_ACTIONS = Todo(my_open_actions, ("improvement_action",))
DRAFT_PLANS = Todo(draft_plans)
