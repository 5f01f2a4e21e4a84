"""The archive's actions, one table for the pages (/biomed/archives/<number>/<action>/) and the
API (/api/v1/biomed/archives/<number>/<action>): same form, same workflow call (ADR 0009).
Opening an archive lives on the list page and `POST /api/v1/biomed/archives`."""

from typing import Any

from qihub.biomed import forms, workflow
from qihub.biomed.models import ProductArchive
from qihub.core.actions import Action, ActionTable


def visible(user: Any, number: str) -> ProductArchive | None:
    return workflow.visible_archives(user).filter(number=number).first()


def describe(archive: ProductArchive, user: Any) -> dict:
    from qihub.deadlines.queries import open_clock

    clock = open_clock(archive, workflow.FOLLOW_UP)
    return {
        "number": archive.number,
        "name": archive.name,
        "products": archive.products,
        "product_class": archive.product_class,
        "product_class_label": archive.get_product_class_display(),
        "route_label": archive.get_route_display(),
        "enterprise": archive.enterprise.party_name,
        "handler": archive.handler.party_name if archive.handler else None,
        "stage": archive.stage,
        "stage_label": archive.get_stage_display(),
        "review_status": archive.review_status,
        "review_status_label": archive.get_review_status_display(),
        "review_round": archive.review_round,
        "follow_up_due": clock.due_at.isoformat() if clock else None,
        "fee": "免费",
        "stages": [
            {"at": e.at.isoformat(), "from": e.before.get("stage"), "to": e.after.get("stage")}
            for e in archive.events.filter(kind="advanced")
        ],
        "services": [
            {
                "stage_label": s.get_stage_display(),
                "kind_label": s.get_kind_display(),
                "by": s.by.party_name,
                "served_on": s.served_on.isoformat(),
                "advice": s.advice,
            }
            for s in archive.services.select_related("by")
        ],
        "dossier": [
            {
                "round": d.round,
                "title": d.title,
                "comment": d.comment,
                "nonconforming": d.nonconforming,
            }
            for d in archive.dossier.all()
        ],
        "findings": [
            {
                "id": f.pk,
                "grade_label": f.get_grade_display(),
                "description": f.description,
                "rectification": f.rectification,
                "closed": f.closed_at is not None,
            }
            for f in archive.findings.all()
        ],
        "version": archive.version,
    }


def _v(c: dict) -> int | None:
    return c.get("version")


def _comment(archive: ProductArchive, user: Any, data: dict) -> None:
    form_comments = {
        int(name.removeprefix("comment_")): (
            value,
            bool(data.get(f"nonconforming_{name.removeprefix('comment_')}")),
        )
        for name, value in data.items()
        if name.startswith("comment_")
    }
    workflow.comment_review(
        archive, by=user, version=_v(data), comments=form_comments, passed=data["verdict"] == "pass"
    )


def _apply(archive: ProductArchive, user: Any, data: dict) -> None:
    documents = [
        (data[f"title_{i}"], data[f"file_{i}"])
        for i in range(1, forms.DOSSIER_SLOTS + 1)
        if data.get(f"title_{i}") and data.get(f"file_{i}")
    ]
    workflow.apply_review(archive, by=user, version=_v(data), documents=documents)


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="biomed:archive",
    describe=describe,
    actions=[
        Action(
            "assign",
            forms.AssignForm,
            lambda a, u, c: workflow.assign(a, by=u, version=_v(c), handler=c["handler"]),
            "已指定服务专员",
            summary="指定档案的服务专员",
        ),
        Action(
            "advance",
            forms.AdvanceForm,
            lambda a, u, c: workflow.advance(a, by=u, version=_v(c), note=c["note"]),
            "产品已进入下一阶段",
            summary="产品进入生命周期的下一阶段",
        ),
        Action(
            "record_service",
            forms.ServiceForm,
            lambda a, u, c: workflow.record_service(
                a,
                by=u,
                kind=c["kind"],
                served_on=c["served_on"],
                advice=c["advice"],
                document=c.get("document"),
            ),
            "服务记录已登记",
            summary="登记本阶段的一次服务（免费）",
            page="service",
            api="services",
        ),
        Action(
            "follow_up",
            forms.FollowUpForm,
            lambda a, u, c: workflow.follow_up(
                a, by=u, contact=c["contact"], progress=c["progress"], needs=c["needs"]
            ),
            "跟踪记录已登记，下次跟踪时间已重新计算",
            summary="登记一次跟踪（重新开始两周跟踪计时）",
            page="follow-up",
            api="follow-ups",
        ),
        Action(
            "add_reviewer",
            forms.ReviewerForm,
            lambda a, u, c: workflow.add_reviewer(a, by=u, expert=c["expert"]),
            "已邀请预审专家",
            summary="邀请专家参加资料预审",
            page="reviewer",
            api="reviewers",
        ),
        Action(
            "apply_review",
            forms.ApplyReviewForm,
            _apply,
            "资料已提交预审",
            summary="提交（或补正后再次提交）申报资料预审",
            page="review",
            api="review",
        ),
        Action(
            "comment_review",
            forms.CommentReviewForm,
            _comment,
            "预审意见已出具",
            summary="对本轮每份资料出具预审意见与结论",
            page="review-comments",
            api="review-comments",
        ),
        Action(
            "record_finding",
            forms.FindingForm,
            lambda a, u, c: workflow.record_finding(
                a, by=u, grade=c["grade"], description=c["description"], found_on=c["found_on"]
            ),
            "模拟检查缺陷已登记",
            summary="登记模拟现场检查发现的缺陷（严重/主要/一般）",
            page="finding",
            api="findings",
        ),
        Action(
            "rectify_finding",
            forms.RectifyForm,
            lambda a, u, c: workflow.rectify_finding(
                a, by=u, finding=c["finding"], rectification=c["rectification"]
            ),
            "整改情况已登记",
            summary="企业登记缺陷的整改情况",
            page="rectify",
            api="rectifications",
        ),
        Action(
            "close_finding",
            forms.CloseFindingForm,
            lambda a, u, c: workflow.close_finding(a, by=u, finding=c["finding"]),
            "已确认整改完成",
            summary="确认缺陷整改完成",
            page="close-finding",
            api="closed-findings",
        ),
    ],
)
