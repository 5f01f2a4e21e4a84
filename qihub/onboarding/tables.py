"""The registration review queue as a `core.lists` table (rows of `queries.review_queue`)."""

import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn


class ReviewQueueTable(ListTable):
    subject = TemplateColumn(
        "<a href=\"{% url 'onboarding:review' record.application.pk %}\">"
        "{{ record.application.subject_name }}</a>",
        verbose_name="申请",
        orderable=False,
    )
    kind = tables.Column(
        "类型", accessor="application__get_kind_display", order_by=("application__kind",)
    )
    submitted = TemplateColumn(
        '{{ record.application.submitted_at|date:"Y-m-d H:i" }}'
        "（第 {{ record.application.round }} 次）",
        verbose_name="提交",
        order_by=("application__submitted_at",),
    )
    due = TemplateColumn(
        '{{ record.clock.due_at|date:"Y-m-d H:i" }}',
        verbose_name="截止",
        order_by=("clock__due_at",),
    )
    left = TemplateColumn(
        '{% if record.clock.overdue %}<span class="badge text-bg-danger">已超时</span>'
        '{% else %}<span data-testid="time-left">{{ record.clock.label }}</span>{% endif %}',
        verbose_name="剩余",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "class": "table table-sm align-middle qihub-list"}
        row_attrs = {"data-application": lambda record: record["application"].pk}
        empty_text = "暂无待审核的申请"
