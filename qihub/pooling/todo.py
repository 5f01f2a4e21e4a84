"""Workbench to-dos of pooled demands (DEM-13), each the rows its card's list shows as waiting."""

from django.db.models import QuerySet

from qihub.accounts.models import User
from qihub.accounts.todo import Todo


def batches_in_progress(user: User) -> QuerySet:
    """Staff: batches of their scope still waiting for the institution or the enterprises."""
    from qihub.pooling.models import Answer, Batch, BatchStatus

    return Batch.objects.visible_to(user).filter(
        status__in=[BatchStatus.OFFERING, BatchStatus.OFFERED],
        members__answer=Answer.PENDING,
    )


def batches_to_offer(user: User) -> QuerySet:
    """The institution: batches waiting for its offer."""
    from qihub.pooling.models import Batch, BatchStatus

    return Batch.objects.filter(institution__account=user, status=BatchStatus.OFFERING)


def offers_to_answer(user: User) -> QuerySet:
    """The enterprise: its demands in an offered batch it has not answered."""
    from qihub.pooling.models import Answer, BatchMember, BatchStatus

    return BatchMember.objects.filter(
        demand__client=user, answer=Answer.PENDING, batch__status=BatchStatus.OFFERED
    )


BATCHES_IN_PROGRESS = Todo(batches_in_progress, ("pool_offer",))
BATCHES_TO_OFFER = Todo(batches_to_offer, ("pool_offer",))
OFFERS_TO_ANSWER = Todo(offers_to_answer, ("pool_answer",))
