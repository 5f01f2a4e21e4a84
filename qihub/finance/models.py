"""The finance directory and referral requests (OPS-5).

- `FinanceProduct`: a quality loan, IP pledge financing or insurance product operators keep:
  what it is, who offers it, the conditions.
- `Referral`: an enterprise's request to be put in touch (对接申请), followed up like a demand on
  the one workflow mechanism (ADR 0009): 已受理 → 已转介 → 跟进中 → 已放款 / 未获批 / 已撤回,
  with the `finance_referral` clock and its history in `ReferralEvent`.
"""

from django.db import models

from qihub.accounts.models import User
from qihub.core.models import Event


class ProductKind(models.TextChoices):
    QUALITY_LOAN = "quality_loan", "质量贷"
    IP_PLEDGE = "ip_pledge", "知识产权质押融资"
    INSURANCE = "insurance", "保险产品"


class FinanceProduct(models.Model):
    kind = models.CharField("类别", max_length=20, choices=ProductKind.choices)
    name = models.CharField("产品名称", max_length=100)
    provider = models.CharField("提供机构", max_length=100)
    summary = models.TextField("产品介绍")
    conditions = models.TextField("申请条件")
    terms = models.CharField("额度与期限", max_length=200, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    active = models.BooleanField("接受申请", default=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "金融产品"
        verbose_name_plural = "金融产品"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "已受理"
    REFERRED = "referred", "已转介"
    FOLLOWING = "following", "跟进中"
    LOANED = "loaned", "已放款"
    DECLINED = "declined", "未获批"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.REFERRED, ReferralStatus.FOLLOWING)


class Referral(models.Model):
    number = models.CharField("申请编号", max_length=30, unique=True)
    product = models.ForeignKey(
        FinanceProduct, on_delete=models.PROTECT, related_name="referrals", verbose_name="金融产品"
    )
    enterprise = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="finance_referrals", verbose_name="申请企业"
    )
    amount = models.DecimalField(
        "需求金额（万元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    purpose = models.CharField("资金用途或保障需求", max_length=500)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    status = models.CharField(
        "状态", max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    outcome_note = models.CharField("结果说明", max_length=500, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "金融对接申请"
        verbose_name_plural = "金融对接申请"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class ReferralEvent(Event):
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="events", verbose_name="对接申请"
    )

    class Meta(Event.Meta):
        verbose_name = "对接申请记录"
        verbose_name_plural = "对接申请记录"
