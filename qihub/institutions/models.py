from django.db import models

from qihub.accounts.models import Document, Organisation
from qihub.catalog.models import Category


class QualificationType(models.TextChoices):
    CMA = "CMA", "检验检测机构资质认定（CMA）"
    CNAS = "CNAS", "CNAS 认可"
    CNCA = "CNCA", "认证机构批准（CNCA）"
    LEGAL_METROLOGY = "LEGAL_METROLOGY", "法定计量检定机构授权"
    SE_INSPECTION = "SE_INSPECTION", "特种设备检验检测机构核准"
    OTHER = "OTHER", "其他"


class Qualification(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="qualifications"
    )
    type = models.CharField("资质类型", max_length=20, choices=QualificationType.choices)
    number = models.CharField("证书编号", max_length=80)
    issuer = models.CharField("发证机关", max_length=200, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_until = models.DateField("有效期至")
    scope = models.TextField("资质范围", blank=True)
    certificate = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "资质证书"
        verbose_name_plural = "资质证书"
        ordering = ["valid_until"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number}"


class ScopeLine(models.Model):
    """One line of service capability scope: what can be tested/calibrated, by which method."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scope_lines"
    )
    category = models.CharField("类别", max_length=40, choices=Category.choices)
    object = models.CharField("对象/产品", max_length=200)
    parameter = models.CharField("项目/参数", max_length=200, blank=True)
    standard = models.CharField("标准或方法", max_length=200, blank=True)
    limits = models.CharField("限制范围", max_length=200, blank=True)

    class Meta:
        verbose_name = "能力范围"
        verbose_name_plural = "能力范围"

    def __str__(self) -> str:
        return f"{self.object} {self.parameter} {self.standard}".strip()


class OrganisationEvent(models.Model):
    """History of an institution's listing: deregistration, expiry, restoration; never updated."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    at = models.DateTimeField()
    by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class SearchTerm(models.Model):
    """Inverted index for institution search: one row per term per field; looked up by term."""

    term = models.CharField(max_length=40)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    scope_line = models.ForeignKey(
        ScopeLine, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    weight = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["term", "organisation"], name="search_term_org")]

    def __str__(self) -> str:
        return self.term
