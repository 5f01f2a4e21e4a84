from django.db import models


class Source(models.TextChoices):
    SEED = "seed", "初始数据（国务院办公厅历年节假日安排）"
    OFFICIAL_NOTICE = "official_notice", "国务院办公厅通知"
    STAFF = "staff", "工作人员录入"


class CalendarYear(models.Model):
    """A year whose schedule is known: official once the State Council notice is imported."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    official = models.BooleanField("已确认（正式）", default=False)
    source_document = models.CharField("依据文件", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}（{'正式' if self.official else '暂定'}）"


class CalendarException(models.Model):
    """A day that differs from the weekend rule: a holiday on a weekday or a make-up workday."""

    date = models.DateField("日期", unique=True)
    is_working = models.BooleanField("上班")
    name = models.CharField("名称", max_length=100, blank=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working else '休息'} {self.name}"
