"""A product archive's moves on the one workflow mechanism (ADR 0009).

The status is the life-cycle stage (SJ 7.1/7.2). Besides moving on a stage, every service given,
every follow-up, each pre-review round and each mock-inspection finding is a move of the same
table, so the archive's history (`ArchiveEvent`) is the whole service record of the product.
The follow-up clock (`product_follow_up`, SJ 8.2.3) starts when the archive opens and is
restarted by each follow-up.
"""

import datetime as dt
from typing import Any

import rules
from django.db.models import Q, QuerySet

from qihub.accounts.models import DocumentKind, User
from qihub.accounts.roles import (
    is_decider,
    is_enterprise,
    is_expert,
    is_handler,
    is_station_staff,
)
from qihub.biomed.models import (
    ArchiveEvent,
    DossierDocument,
    FollowUp,
    InspectionFinding,
    ProductArchive,
    ReviewStatus,
    ServiceRecord,
    Stage,
)
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.notifications.outbox import notify

FOLLOW_UP = "product_follow_up"


@rules.predicate
def is_owner(user: Any, archive: ProductArchive | None) -> bool:
    return archive is not None and archive.enterprise_id == getattr(user, "pk", None)


@rules.predicate
def is_reviewer(user: Any, archive: ProductArchive | None) -> bool:
    return (
        archive is not None
        and is_expert(user)
        and archive.reviewers.filter(pk=getattr(user, "pk", None)).exists()
    )


@rules.predicate
def serves(user: Any, archive: ProductArchive | None) -> bool:
    """The service team: operators serve every archive; station staff the ones they are in
    charge of, or that nobody has taken yet."""
    if archive is None or not is_handler(user):
        return False
    if is_station_staff(user):
        return archive.handler_id in (None, user.pk)
    return True


def visible_archives(user: Any) -> QuerySet[ProductArchive]:
    """Enterprises: their own; the team: the ones they serve; experts: the ones they review."""
    rows = ProductArchive.objects.select_related(
        "enterprise__organisation", "handler__organisation"
    )
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if is_decider(user):
        return rows
    if is_station_staff(user):
        return rows.filter(Q(handler=user) | Q(handler__isnull=True))
    if is_expert(user):
        return rows.filter(reviewers=user).distinct()
    if is_enterprise(user):
        return rows.filter(enterprise=user)
    return rows.none()


OWN = "只有该企业本身可以办理"
TEAM = "只有负责该档案的服务人员可以办理"
TEAM_OR_OWNER = "只有该企业或负责该档案的服务人员可以办理"
REVIEW = "只有负责该档案的服务人员或受邀预审专家可以办理"

FLOW: Workflow[ProductArchive] = Workflow(
    ProductArchive,
    events=ArchiveEvent,
    subject="archive",
    status_field="stage",
    moves=[
        move(
            "open",
            "建立产品档案",
            is_enterprise,
            {None},
            starts=(FOLLOW_UP,),
            event="opened",
            refusal="只有企业用户可以建立产品档案",
        ),
        move("assign", "指定服务专员", serves, refusal=TEAM),
        move(
            "advance",
            "进入下一阶段",
            is_owner | serves,
            event="advanced",
            refusal=TEAM_OR_OWNER,
        ),
        move("record_service", "登记服务", serves, refusal=TEAM),
        move("follow_up", "登记跟踪", serves, starts=(FOLLOW_UP,), refusal=TEAM),
        move("add_reviewer", "邀请预审专家", serves, refusal=TEAM),
        move("apply_review", "申请资料预审", is_owner, refusal=OWN),
        move("comment_review", "出具预审意见", serves | is_reviewer, refusal=REVIEW),
        move("record_finding", "登记模拟检查缺陷", serves | is_reviewer, refusal=REVIEW),
        move("rectify_finding", "登记整改", is_owner, refusal=OWN),
        move("close_finding", "确认整改完成", serves | is_reviewer, refusal=REVIEW),
    ],
)


def _store(by: User, upload: Any) -> Any:
    from qihub.accounts.models import Document
    from qihub.accounts.uploads import upload_batch

    with upload_batch() as batch:
        return Document.objects.create(
            owner=by, kind=DocumentKind.SUPPORTING, **batch.store(upload)
        )


def open_archive(*, by: User, **fields: Any) -> ProductArchive:
    with FLOW.create("open", by=by) as step:
        step.record = ProductArchive.objects.create(
            number=next_number("CP", at=step.at), enterprise=by, last_follow_up_at=step.at, **fields
        )
    return step.record


def assign(archive: ProductArchive, *, by: User, version: int | None, handler: User) -> None:
    with FLOW.step(archive, "assign", by=by, version=version) as step:
        step.edit(handler=handler)
        notify(
            [handler],
            "您被指定为产品档案服务专员",
            f"产品档案 {archive.number}（{archive.name}）由您负责，请每两周跟踪一次。",
            dedupe_key=f"biomed-assigned:{archive.pk}:{handler.pk}",
        )


def advance(archive: ProductArchive, *, by: User, version: int | None, note: str = "") -> None:
    with FLOW.step(archive, "advance", by=by, version=version, note=note) as step:
        following = step.record.next_stage
        if following is None:
            raise WorkflowError("产品已处于上市后阶段，没有下一阶段")
        step.edit(stage=following)


def record_service(
    archive: ProductArchive,
    *,
    by: User,
    kind: str,
    served_on: dt.date,
    advice: str,
    document: Any = None,
) -> ServiceRecord:
    with FLOW.step(archive, "record_service", by=by) as step:
        record = ServiceRecord.objects.create(
            archive=step.record,
            stage=step.record.stage,
            kind=kind,
            by=by,
            served_on=served_on,
            advice=advice,
            document=_store(by, document) if document else None,
        )
        step.note = record.get_kind_display()
    return record


def follow_up(
    archive: ProductArchive, *, by: User, contact: str, progress: str, needs: str = ""
) -> FollowUp:
    """Record a follow-up and restart the two-week clock: the running one stops here and the
    move starts the next (SJ 8.2.3: 每2周跟踪一次)."""
    from qihub.deadlines import workflow as clocks
    from qihub.deadlines.queries import open_clock

    with FLOW.step(archive, "follow_up", by=by) as step:
        running = open_clock(step.record, FOLLOW_UP)
        if running is not None:
            clocks.stop_clock(running, by=by, at=step.at, note="完成本次跟踪")
        made = FollowUp.objects.create(
            archive=step.record, by=by, at=step.at, contact=contact, progress=progress, needs=needs
        )
        step.set(last_follow_up_at=step.at)
    return made


def add_reviewer(archive: ProductArchive, *, by: User, expert: User) -> None:
    with FLOW.step(archive, "add_reviewer", by=by, note=expert.party_name):
        archive.reviewers.add(expert)
        notify(
            [expert],
            "邀请您参加资料预审",
            f"产品档案 {archive.number}（{archive.name}）邀请您作为预审专家。",
            dedupe_key=f"biomed-reviewer:{archive.pk}:{expert.pk}",
        )


def apply_review(
    archive: ProductArchive, *, by: User, version: int | None, documents: list[tuple[str, Any]]
) -> None:
    """Round 1 on the first application; each resubmission after comments is the next round."""
    with FLOW.step(archive, "apply_review", by=by, version=version) as step:
        status = step.record.review_status
        if status == ReviewStatus.SUBMITTED:
            raise WorkflowError("上一轮资料尚在预审中，请等待预审意见")
        if status == ReviewStatus.PASSED:
            raise WorkflowError("资料预审已通过，无需再次提交")
        round_ = step.record.review_round + 1
        for title, upload in documents:
            DossierDocument.objects.create(
                archive=step.record, round=round_, title=title, document=_store(by, upload)
            )
        step.set(review_status=ReviewStatus.SUBMITTED, review_round=round_)
        step.note = f"第 {round_} 轮，{len(documents)} 份资料"


def comment_review(
    archive: ProductArchive,
    *,
    by: User,
    version: int | None,
    comments: dict[int, tuple[str, bool]],
    passed: bool,
) -> None:
    """Comments per document of the current round; a nonconformity sends it back for the next."""
    with FLOW.step(archive, "comment_review", by=by, version=version) as step:
        if step.record.review_status != ReviewStatus.SUBMITTED:
            raise WorkflowError("当前没有待预审的资料")
        documents = step.record.dossier.filter(round=step.record.review_round)
        nonconforming = 0
        for document in documents:
            comment, bad = comments.get(document.pk, ("", False))
            document.comment, document.nonconforming, document.reviewed_by = comment, bad, by
            document.save(update_fields=["comment", "nonconforming", "reviewed_by"])
            nonconforming += bad
        if passed and nonconforming:
            raise WorkflowError("有资料标记为不符合项，不能判定预审通过")
        if not passed and not any(c for c, _ in comments.values()):
            raise WorkflowError("预审意见：退回补正时请至少对一份资料写明意见")
        status = ReviewStatus.PASSED if passed else ReviewStatus.COMMENTED
        step.set(review_status=status)
        step.note = f"第 {step.record.review_round} 轮：{ReviewStatus(status).label}"
        if nonconforming:
            step.note += f"，不符合项 {nonconforming} 项"
        notify(
            [step.record.enterprise],
            "资料预审意见已出具",
            f"产品档案 {archive.number} 第 {step.record.review_round} 轮资料预审："
            f"{ReviewStatus(status).label}。",
            dedupe_key=f"biomed-review:{archive.pk}:{step.record.review_round}",
        )


def record_finding(
    archive: ProductArchive, *, by: User, grade: str, description: str, found_on: dt.date
) -> InspectionFinding:
    with FLOW.step(archive, "record_finding", by=by) as step:
        finding = InspectionFinding.objects.create(
            archive=step.record,
            grade=grade,
            description=description,
            found_by=by,
            found_on=found_on,
        )
        step.note = f"{finding.get_grade_display()}：{description[:100]}"
    return finding


def rectify_finding(
    archive: ProductArchive, *, by: User, finding: InspectionFinding, rectification: str
) -> None:
    with FLOW.step(archive, "rectify_finding", by=by) as step:
        if finding.closed_at is not None:
            raise WorkflowError("该缺陷的整改已确认完成")
        finding.rectification = rectification
        finding.save(update_fields=["rectification"])
        step.note = f"{finding.get_grade_display()}缺陷：{rectification[:100]}"


def close_finding(archive: ProductArchive, *, by: User, finding: InspectionFinding) -> None:
    with FLOW.step(archive, "close_finding", by=by) as step:
        if not finding.rectification:
            raise WorkflowError("企业尚未登记整改情况，不能确认整改完成")
        if finding.closed_at is not None:
            raise WorkflowError("该缺陷的整改已确认完成")
        finding.closed_at = step.at
        finding.save(update_fields=["closed_at"])
        step.note = f"{finding.get_grade_display()}缺陷整改完成"


def stage_label(value: str) -> str:
    return Stage(value).label
