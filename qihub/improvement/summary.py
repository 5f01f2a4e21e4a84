"""The year's summary the improvement plan starts from (EVAL-10).

Every figure that the statistics already compute (satisfaction index, evaluations and dissatisfied
ones, complaints and substantiated ones, on-time per clock, rectifications and their closure) is
taken from `evaluations.statistics.compute` for the whole year, so the plan and the dashboard
never disagree. Only what the statistics do not break down is counted here: complaints by type,
opinions by kind, and the clocks that missed their time limit, by clock.
"""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from qihub.complaints.models import Complaint, Opinion, OpinionKind, OpinionStatus
from qihub.deadlines.clocks import spec_for
from qihub.evaluations import satisfaction, statistics
from qihub.evaluations.models import Method

COMPLAINT_CLOCK = "complaint"


def summarise(year: int, now: dt.datetime | None = None) -> dict:
    """The figures of `year` as plain JSON (kept with the plan as drafted)."""
    now = now or timezone.now()
    period = statistics.Period(year, None)
    (platform,) = statistics.compute(period, "platform")
    means = platform.tally.means()
    indicators = [
        {"name": i.name, "score": round(means[i.code], 2)}
        for i in satisfaction.MODEL
        if i.code in means
    ]
    complaints = Complaint.objects.filter(
        submitted_at__gte=period.start, submitted_at__lt=period.end
    )
    by_type = [
        {"name": row["type__name"], "count": row["n"]}
        for row in complaints.values("type__name")
        .annotate(n=Count("id"))
        .order_by("-n", "type__name")
    ]
    complaint_clock = spec_for(COMPLAINT_CLOCK).name
    ok, due = platform.on_time.get(complaint_clock, [0, 0])
    opinions = Opinion.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
    kinds = dict(OpinionKind.choices)
    by_kind = [
        {"name": kinds.get(row["kind"], "其他"), "count": row["n"]}
        for row in opinions.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    opinion_totals = opinions.aggregate(
        n=Count("id"), closed=Count("id", filter=Q(status=OpinionStatus.CLOSED))
    )
    # Missed time limits: what the statistics count as due but not met, per clock.
    overdue = sorted(
        (
            {"name": name, "due": counts[1], "missed": counts[1] - counts[0]}
            for name, counts in platform.on_time.items()
            if name != statistics.ORDER_ON_TIME and counts[1] > counts[0]
        ),
        key=lambda row: (-row["missed"], row["name"]),
    )
    return {
        "year": year,
        "label": period.label,
        "as_of": now.isoformat(),
        "evaluations": {
            "count": platform.evaluations,
            "dissatisfied": platform.dissatisfied,
            "index": platform.index(),
            "user_index": platform.by_method.get(Method.USER),
            "indicators": indicators,
        },
        "complaints": {
            "count": platform.complaints,
            "substantiated": platform.substantiated,
            "per_100_orders": platform.complaint_rate(),
            "by_type": by_type,
            "on_time": ok,
            "due": due,
            "on_time_rate": platform.rate(complaint_clock),
        },
        "opinions": {
            "count": opinion_totals["n"],
            "closed": opinion_totals["closed"],
            "by_kind": by_kind,
        },
        "rectifications": {
            "count": platform.rectifications,
            "closed": platform.rectified,
            "closure_rate": platform.closure_rate(),
        },
        "orders": {
            "completed": platform.completed,
            "on_time_rate": platform.rate(statistics.ORDER_ON_TIME),
        },
        "overdue": overdue,
        "overdue_total": sum(row["missed"] for row in overdue),
    }


def draft_analysis(summary: dict) -> str:
    """The opening text the supervisor edits: the weakest points of the year, in words."""
    lines = [f"{summary['label']}平台服务情况汇总："]
    e = summary["evaluations"]
    if e["count"]:
        index = "—" if e["index"] is None else f"{e['index']}"
        lines.append(
            f"收到服务评价 {e['count']} 条，其中不满意 {e['dissatisfied']} 条，综合满意度指数 {index}。"
        )
        weakest = sorted(e["indicators"], key=lambda i: i["score"])[:1]
        if weakest:
            lines.append(f"得分最低的指标是“{weakest[0]['name']}”（{weakest[0]['score']} 分）。")
    else:
        lines.append("本年度尚无服务评价。")
    c = summary["complaints"]
    lines.append(f"受理投诉 {c['count']} 件，经查属实 {c['substantiated']} 件。")
    if c["by_type"]:
        lines.append(f"投诉最多的类型是“{c['by_type'][0]['name']}”。")
    o = summary["opinions"]
    lines.append(f"收到意见建议 {o['count']} 条，已处理 {o['closed']} 条。")
    r = summary["rectifications"]
    lines.append(f"发起整改 {r['count']} 项，已验证关闭 {r['closed']} 项。")
    if summary["overdue"]:
        worst = summary["overdue"][0]
        lines.append(
            f"超出服务时限 {summary['overdue_total']} 次，最多的是“{worst['name']}”（{worst['missed']} 次）。"
        )
    else:
        lines.append("本年度没有超出服务时限的事项。")
    return "\n".join(lines)
