from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models


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


class User(AbstractUser):
    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.INDIVIDUAL)
    # 后台实名、前台自愿: the verified identity lives elsewhere (ACC-2); this is the chosen name.
    display_name = models.CharField("前台显示名称", max_length=100, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The role decides back-office access, so the flag cannot drift from it.
        self.is_staff = self.role in STAFF_ROLES or self.is_superuser
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff"}
        super().save(*args, **kwargs)
