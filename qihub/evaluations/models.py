from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from qihub.accounts.models import User
from qihub.orders.models import Order

SCORE = [MinValueValidator(1), MaxValueValidator(5)]
INDICATORS = {"process": "服务流程", "timeliness": "办理时效", "attitude": "服务态度",
              "competence": "专业能力", "overall": "总体满意度"}  # fmt: skip


class EvaluationChannel(models.TextChoices):
    ONLINE = "online", "网上评价"
    PHONE = "phone", "电话（工作人员代录）"
    SMS = "sms", "短信（工作人员代录）"


class Evaluation(models.Model):
    """One evaluation per completed order (一事一评, EVAL-1)."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="evaluation")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="evaluations")
    channel = models.CharField("评价渠道", max_length=8, choices=EvaluationChannel.choices)
    entered_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="代录人员",
    )
    process = models.PositiveSmallIntegerField("服务流程", validators=SCORE)
    timeliness = models.PositiveSmallIntegerField("办理时效", validators=SCORE)
    attitude = models.PositiveSmallIntegerField("服务态度", validators=SCORE)
    competence = models.PositiveSmallIntegerField("专业能力", validators=SCORE)
    overall = models.PositiveSmallIntegerField("总体满意度", validators=SCORE)
    comment = models.CharField("评价意见", max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "服务评价"
        verbose_name_plural = "服务评价"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(process__range=(1, 5), timeliness__range=(1, 5), attitude__range=(1, 5),
                                   competence__range=(1, 5), overall__range=(1, 5)),
                name="evaluation_scores_1_to_5",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.order.number} {self.overall}"

    def dissatisfied(self) -> bool:
        return self.overall <= 2


class ReturnVisit(models.Model):
    """A return visit (回访) scheduled by staff and its recorded result (EVAL-2)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="return_visits")
    scheduled_for = models.DateField("计划回访日期")
    scheduled_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField("回访时间", null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("回访方式", max_length=20, blank=True)
    result = models.CharField("回访结果", max_length=1000, blank=True)
    satisfied = models.BooleanField("客户满意", null=True, blank=True)

    class Meta:
        ordering = ["scheduled_for", "id"]

    def __str__(self) -> str:
        return f"{self.order.number} {self.scheduled_for}"
