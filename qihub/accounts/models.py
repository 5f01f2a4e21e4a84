from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    """The roles of the requirements catalogue; one per account."""

    INDIVIDUAL = "individual", "个人用户"
    ENTERPRISE = "enterprise", "企业用户"
    INSTITUTION = "institution", "技术机构"
    EXPERT = "expert", "专家"
    STATION_STAFF = "station_staff", "站点人员（第一受理人）"
    OPERATOR = "operator", "运营机构"
    SUPERVISOR = "supervisor", "监管部门"
    ADMIN = "admin", "系统管理员"


# Roles that work in the back office (Django admin) and so carry is_staff.
STAFF_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN})
# Every staff-side role logs in with a second factor and is held to the shorter idle limit: the
# back office, and the station staff and experts who read clients' records (ACC-9, B6).
SECOND_FACTOR_ROLES = STAFF_ROLES | {Role.STATION_STAFF, Role.EXPERT}


class StationKind(models.TextChoices):
    MARKET = "market", "市场监管所"
    TOWN = "town", "乡镇园区"
    INSTITUTION = "institution", "机构窗口"
    ENTERPRISE = "enterprise", "企业窗口"
    OTHER = "other", "其他"


class Station(models.Model):
    """A service window or station (服务窗口/站点) where station staff work; figures and the window
    checklist (EVAL-6, EVAL-8) are kept per station. Hours, staff, areas and the notice board
    live in `qihub.stations` (STA-1)."""

    name = models.CharField("站点名称", max_length=100, unique=True)
    kind = models.CharField(
        "站点类型", max_length=12, choices=StationKind.choices, default=StationKind.OTHER
    )
    # WX 4.2: every station shows the platform's unified name and mark.
    unified_name = models.CharField("统一名称", max_length=100, blank=True)
    mark = models.CharField("统一标识", max_length=100, blank=True)
    phone = models.CharField("对外服务电话", max_length=30, blank=True)
    region = models.CharField("行政区划代码", max_length=6, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    opened_on = models.DateField("设立日期", null=True, blank=True)
    active = models.BooleanField("运行中", default=True)

    class Meta:
        verbose_name = "服务站点"
        verbose_name_plural = "服务站点"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.INDIVIDUAL)
    # 后台实名、前台自愿: the verified identity lives elsewhere (ACC-2); this is the chosen name.
    display_name = models.CharField("前台显示名称", max_length=100, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    # Mobile number, sealed (see qihub.core.pii): ciphertext, keyed digest, masked form.
    mobile_cipher = models.TextField(blank=True, editable=False)
    mobile_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    mobile_masked = models.CharField("手机号码", max_length=20, blank=True, editable=False)
    verified_at = models.DateTimeField("实名审核通过时间", null=True, blank=True, editable=False)
    station = models.ForeignKey(
        Station,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name="所属站点",
    )
    # Set by the staff appraisal (EVAL-7) and cleared only by a passed training: while set, the
    # person is not given new requests.
    retraining_since = models.DateTimeField(
        "待复训（暂停分配）", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.shown_name

    @property
    def needs_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES or self.is_superuser

    @property
    def shown_name(self) -> str:
        """The chosen name; an enterprise or institution that chose none goes by its
        registered name, a log-in name is the last resort."""
        if self.display_name:
            return self.display_name
        return self._organisation_name() or self.username

    @property
    def party_name(self) -> str:
        """Who this account is to the people it deals with: an enterprise or institution is its
        registered organisation's name (never the log-in name); a person their chosen name."""
        return self._organisation_name() or self.shown_name

    def _organisation_name(self) -> str:
        if self.role not in (Role.ENTERPRISE, Role.INSTITUTION) or self.pk is None:
            return ""
        organisation = getattr(self, "organisation", None)  # cached, also when missing
        return organisation.name if organisation is not None else ""

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The role decides back-office access, so the flag cannot drift from it.
        self.is_staff = self.role in STAFF_ROLES or self.is_superuser
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff"}
        super().save(*args, **kwargs)


class MemberKind(models.TextChoices):
    INDIVIDUAL = "individual", "个人用户"
    ENTERPRISE = "enterprise", "企业用户"
    INSTITUTION = "institution", "技术机构"


class Organisation(models.Model):
    """The enterprise or institution behind an account; the public profile shows `name`."""

    account = models.OneToOneField(User, on_delete=models.PROTECT, related_name="organisation")
    kind = models.CharField("类型", max_length=12, choices=MemberKind.choices)
    name = models.CharField("名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    # The name's pinyin initials (滨湖电能 → bhdn), kept beside it so the organisation picker
    # finds "bhdn" with one query (a substring match: no index helps, a few milliseconds over
    # 10,000 rows) instead of converting every name per keystroke. Set by save(); never typed.
    name_initials = models.CharField("名称拼音首字母", max_length=200, blank=True, editable=False)
    address = models.CharField("住所", max_length=300)
    legal_representative = models.CharField("法定代表人", max_length=50)
    contact_name = models.CharField("联系人", max_length=50)
    region = models.CharField("行政区划代码", max_length=6, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    categories = models.JSONField("服务分类", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Shown in search and recommendation (ACC-8): cleared by deregistration or expiry.
    listed = models.BooleanField("在检索与推荐中显示", default=True)
    deregistered_at = models.DateTimeField("注销时间", null=True, blank=True)

    class Meta:
        verbose_name = "企业与机构"
        verbose_name_plural = "企业与机构"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_initials = name_initials(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_initials"}
        super().save(*args, **kwargs)


def name_initials(name: str) -> str:
    """滨湖电能检测（无锡）有限公司 → bhdnjcwxyxgs: letters and digits pass as they are."""
    from pypinyin import Style, lazy_pinyin

    letters = "".join(lazy_pinyin(name or "", style=Style.FIRST_LETTER))
    return "".join(c for c in letters.lower() if c.isascii() and c.isalnum())[:200]


class PersonIdentity(models.Model):
    """后台实名: the verified person behind an individual account (never shown in front)."""

    account = models.OneToOneField(User, on_delete=models.PROTECT, related_name="identity")
    real_name = models.CharField("真实姓名", max_length=50)
    id_number_cipher = models.TextField(editable=False)
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField("身份证号码", max_length=18, editable=False)

    class Meta:
        verbose_name = "实名信息"
        verbose_name_plural = "实名信息"

    def __str__(self) -> str:
        return f"{self.real_name} {self.id_number_masked}"


class DocumentKind(models.TextChoices):
    ID_SCAN = "id_scan", "身份证扫描件"
    BUSINESS_LICENCE = "business_licence", "营业执照"
    QUALIFICATION_CERTIFICATE = "qualification_certificate", "资质证书"
    INTEGRITY_PLEDGE = "integrity_pledge", "诚信承诺书"
    APPLICATION_FORM = "application_form", "入驻申请表"
    SUPPORTING = "supporting", "其他证明材料"


class Document(models.Model):
    """An uploaded file, kept outside the web root under a random name (see accounts.uploads)."""

    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("材料", max_length=32, choices=DocumentKind.choices)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    superseded = models.BooleanField("已被补正材料替换", default=False)

    class Meta:
        verbose_name = "上传材料"
        verbose_name_plural = "上传材料"
        ordering = ["kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"


class AppDevice(models.Model):
    """One app or mini-program log-in (设备管理, OPS-3): the holder of one refresh token chain.

    The refresh token itself is not kept here, only the id (jti) of the newest one in its chain,
    so revoking the device can blacklist exactly that token and a rotated-away token is known
    as stale."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="app_devices")
    name = models.CharField("设备名称", max_length=60)
    issued_at = models.DateTimeField("登录时间", auto_now_add=True)
    refreshed_at = models.DateTimeField("最近刷新", null=True, blank=True)
    expires_at = models.DateTimeField("登录有效期至")
    refresh_jti = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField("注销时间", null=True, blank=True)

    class Meta:
        verbose_name = "登录设备"
        verbose_name_plural = "登录设备"
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class HeldUpload(models.Model):
    """A material uploaded with a form that was refused for another field: the file is kept
    (stored like any Document) so the person need not choose it again. Only the session that
    uploaded it knows its token; it becomes a Document when the form succeeds, and is deleted
    when removed or left behind (see accounts.uploads.sweep_held)."""

    token = models.CharField(max_length=64, unique=True, editable=False)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    held_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "暂存材料"
        verbose_name_plural = "暂存材料"

    def __str__(self) -> str:
        return f"暂存：{self.original_name}"

    def document_fields(self) -> dict:
        """The fields a Document made from this file takes (without owner and kind)."""
        return {
            "stored_name": self.stored_name,
            "original_name": self.original_name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


class LegalDocument(models.TextChoices):
    AGREEMENT = "agreement", "用户协议"
    PRIVACY = "privacy", "隐私政策"


class Consent(models.Model):
    """That a person agreed to a version of the user agreement or privacy policy: when and from
    where, so the platform can show which text each account accepted (PIPL art. 14)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    document = models.CharField("文件", max_length=16, choices=LegalDocument.choices)
    version = models.CharField("版本", max_length=20)
    agreed_at = models.DateTimeField("同意时间")
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = "协议同意记录"
        verbose_name_plural = "协议同意记录"
        ordering = ["agreed_at", "document"]

    def __str__(self) -> str:
        return f"{self.get_document_display()}（{self.version} 版）"


class Caller(models.Model):
    """A person without an account whose demand or complaint staff recorded from a phone call,
    a letter or a window visit (issue 15, ADR 0012). Name and mobile are sealed like every other
    personal datum (ADR 0005: cipher, keyed digest, masked form); the follow link's token is kept
    only as a keyed digest. Claiming hands the record to the account holding the same mobile."""

    name_cipher = models.TextField(editable=False)
    name_masked = models.CharField("姓名", max_length=60, editable=False)
    mobile_cipher = models.TextField(editable=False)
    mobile_digest = models.CharField(max_length=64, db_index=True, editable=False)
    mobile_masked = models.CharField("手机号码", max_length=20, editable=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    sms_sent_at = models.DateTimeField("短信发送时间", null=True, blank=True)
    claimed_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="认领账户",
    )
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)

    class Meta:
        verbose_name = "无账户来电人"
        verbose_name_plural = "无账户来电人"

    def __str__(self) -> str:
        return f"{self.name_masked} {self.mobile_masked}"
