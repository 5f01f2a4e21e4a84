"""Policies, safety alerts and product-defect reports (CAT-7, CMP-5).

- `Policy`: the policy and regulations library operators keep; public and searchable.
- `Alert`: a safety alert (adverse reaction, recall); publishing one tells the enterprises whose
  `AlertSubscription` matches it.
- `DefectReport`: a product-defect report, received, answered and passed on on the one workflow
  mechanism (ADR 0009) under the `defect_answer` clock, with its history in `DefectEvent`.
"""

from django.db import models

from qihub.accounts.models import User
from qihub.core.models import Event


class Field(models.TextChoices):
    METROLOGY = "metrology", "计量"
    STANDARDS = "standards", "标准化"
    TESTING = "testing", "检验检测"
    CERTIFICATION = "certification", "认证认可"
    IP = "ip", "知识产权"
    QUALITY = "quality", "质量管理"
    SPECIAL_EQUIPMENT = "special_equipment", "特种设备"
    FOOD = "food", "食品"
    DRUG = "drug", "药品"
    DEVICE = "device", "医疗器械"
    CONSUMER = "consumer", "消费品"
    OTHER = "other", "其他"


class Validity(models.TextChoices):
    IN_FORCE = "in_force", "现行有效"
    REPEALED = "repealed", "已废止"
    PENDING = "pending", "尚未施行"


class Policy(models.Model):
    title = models.CharField("标题", max_length=200)
    issuer = models.CharField("发布机关", max_length=100)
    number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("发布日期")
    validity = models.CharField(
        "效力状态", max_length=16, choices=Validity.choices, default=Validity.IN_FORCE
    )
    field = models.CharField("领域", max_length=20, choices=Field.choices)
    text = models.TextField("全文", blank=True)
    link = models.URLField("原文链接", blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "政策法规"
        verbose_name_plural = "政策法规"
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class AlertKind(models.TextChoices):
    DRUG_REACTION = "drug_reaction", "药品不良反应"
    DEVICE_EVENT = "device_event", "医疗器械不良事件"
    RECALL = "recall", "产品召回"


class Alert(models.Model):
    kind = models.CharField("警示类别", max_length=20, choices=AlertKind.choices)
    field = models.CharField("领域", max_length=20, choices=Field.choices)
    title = models.CharField("标题", max_length=200)
    product = models.CharField("涉及产品", max_length=200)
    published_on = models.DateField("发布日期")
    text = models.TextField("警示内容")
    source = models.CharField("信息来源", max_length=200, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="发布人"
    )
    # How many subscribers were told, kept so the operator sees the effect of publishing.
    notified = models.PositiveIntegerField("已通知订阅企业数", default=0)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "安全警示"
        verbose_name_plural = "安全警示"
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class AlertSubscription(models.Model):
    enterprise = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="alert_subscriptions", verbose_name="企业"
    )
    field = models.CharField("领域", max_length=20, choices=Field.choices)
    # Product words, one per line or separated by commas: empty means every alert of the field.
    keywords = models.CharField("产品关键词", max_length=200, blank=True)
    created_at = models.DateTimeField("订阅时间", auto_now_add=True)

    class Meta:
        verbose_name = "警示订阅"
        verbose_name_plural = "警示订阅"
        ordering = ["field", "pk"]

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.keywords}".strip()

    @property
    def words(self) -> list[str]:
        import re

        return [w for w in re.split(r"[\s,，、;；]+", self.keywords) if w]


class DefectStatus(models.TextChoices):
    RECEIVED = "received", "已受理"
    ANSWERED = "answered", "已答复"
    PASSED_ON = "passed_on", "已移送"


class PassedTo(models.TextChoices):
    REGULATOR = "regulator", "市场监管部门"
    MAKER = "maker", "生产企业"


class DefectReport(models.Model):
    number = models.CharField("报告编号", max_length=30, unique=True)
    reporter = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="defect_reports",
        verbose_name="报告人账号",
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    product = models.CharField("产品名称", max_length=100)
    maker = models.CharField("生产企业", max_length=100, blank=True)
    model_spec = models.CharField("型号规格或批号", max_length=100, blank=True)
    field = models.CharField("领域", max_length=20, choices=Field.choices)
    defect = models.TextField("缺陷描述")
    status = models.CharField(
        "状态", max_length=16, choices=DefectStatus.choices, default=DefectStatus.RECEIVED
    )
    answer = models.TextField("答复", blank=True)
    passed_to = models.CharField("移送对象", max_length=16, choices=PassedTo.choices, blank=True)
    passed_to_name = models.CharField("接收单位", max_length=100, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "产品缺陷报告"
        verbose_name_plural = "产品缺陷报告"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class DefectEvidence(models.Model):
    report = models.ForeignKey(
        DefectReport, on_delete=models.CASCADE, related_name="evidence", verbose_name="缺陷报告"
    )
    stored_name = models.CharField(max_length=64, unique=True)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "缺陷证据"
        verbose_name_plural = "缺陷证据"

    def __str__(self) -> str:
        return self.original_name


class DefectEvent(Event):
    report = models.ForeignKey(
        DefectReport, on_delete=models.CASCADE, related_name="events", verbose_name="缺陷报告"
    )

    class Meta(Event.Meta):
        verbose_name = "缺陷报告记录"
        verbose_name_plural = "缺陷报告记录"
