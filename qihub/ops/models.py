"""What monitoring keeps (OPS-1): every server error under a number a user can quote, and the
time each periodic task last ran."""

from django.db import models


class ServerError(models.Model):
    """One server error (HTTP 500): the 500 page shows `number`, operators look it up."""

    number = models.CharField("错误编号", max_length=20, unique=True)
    at = models.DateTimeField("发生时间", db_index=True)
    path = models.CharField("页面地址", max_length=500)
    method = models.CharField("请求方式", max_length=10)
    role = models.CharField("用户角色", max_length=40, blank=True)
    user_id = models.PositiveIntegerField("用户序号", null=True, blank=True)
    exception_type = models.CharField("异常类型", max_length=200)
    message = models.TextField("异常信息", blank=True)
    request_id = models.CharField("请求标识", max_length=64, blank=True)
    traceback = models.TextField("调用栈", blank=True)

    class Meta:
        verbose_name = "系统错误记录"
        verbose_name_plural = "系统错误记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.number


class Heartbeat(models.Model):
    """The last run of a periodic task (the clock sweep): read by the health page and metrics,
    in the database so that every app machine sees the worker's runs."""

    name = models.CharField("任务", max_length=40, unique=True)
    at = models.DateTimeField("最近运行时间")

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"

    def __str__(self) -> str:
        return f"{self.name} {self.at}"
