"""Consultations through the one workflow mechanism (ADR 0009).

Asked → routed to an expert (the `clinic_answer` clock starts) → the expert may ask back
(the clock pauses until the asker replies) → answered (the clock stops) → the asker rates it and
may turn it into a demand; an operator may publish a well-rated answer anonymised.
"""

from collections.abc import Iterable
from typing import Any

import rules
from django.utils import timezone

from qihub.accounts.models import Document, DocumentKind, Organisation, Role, User
from qihub.accounts.roles import is_client, is_decider
from qihub.accounts.uploads import upload_batch
from qihub.clinic import routing
from qihub.clinic.models import Consultation, ConsultationEvent, Expert
from qihub.clinic.models import ConsultationStatus as C
from qihub.core.numbering import next_number
from qihub.core.pii import anonymise
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.deadlines.queries import open_clock
from qihub.notifications.outbox import notify

ANSWER_CLOCK = "clinic_answer"
# "A good answer" (DEM-10): the asker rated it at least this.
PUBLISHABLE_RATING = 4


@rules.predicate
def is_asker(user: Any, consultation: Consultation | None) -> bool:
    return consultation is not None and consultation.asker_id == getattr(user, "pk", None)


@rules.predicate
def is_assigned_expert(user: Any, consultation: Consultation | None) -> bool:
    return (
        consultation is not None
        and consultation.expert is not None
        and consultation.expert.user_id == getattr(user, "pk", None)
    )


FLOW: Workflow[Consultation] = Workflow(
    Consultation,
    events=ConsultationEvent,
    subject="consultation",
    moves=[
        move(
            "ask",
            "提交咨询",
            is_client,
            {None},
            C.WAITING,
            event="asked",
            refusal="只有企业用户和个人用户可以提交质量门诊咨询",
        ),
        move(
            "route",
            "分派专家",
            is_asker,
            {C.WAITING},
            C.ROUTED,
            starts=(ANSWER_CLOCK,),
            event="routed",
            refusal="咨询由平台按规则自动分派",
        ),
        move(
            "assign",
            "指派专家",
            is_decider,
            {C.WAITING},
            C.ROUTED,
            starts=(ANSWER_CLOCK,),
            event="assigned",
            refusal="只有平台运营人员可以指派专家",
        ),
        move(
            "reassign",
            "改派专家",
            is_decider,
            {C.ROUTED, C.ASKED_BACK},
            None,
            event="reassigned",
            refusal="只有平台运营人员可以改派专家",
        ),
        move(
            "ask_back",
            "追问",
            is_assigned_expert,
            {C.ROUTED},
            C.ASKED_BACK,
            pauses=(ANSWER_CLOCK,),
            event="asked_back",
            refusal="只有分派的专家可以追问",
        ),
        move(
            "reply",
            "补充说明",
            is_asker,
            {C.ASKED_BACK},
            C.ROUTED,
            resumes=(ANSWER_CLOCK,),
            event="replied",
            refusal="只有提问人可以补充说明",
        ),
        move(
            "answer",
            "回答",
            is_assigned_expert,
            {C.ROUTED},
            C.ANSWERED,
            stops=(ANSWER_CLOCK,),
            event="answered",
            refusal="只有分派的专家可以回答",
        ),
        move(
            "rate",
            "评价答复",
            is_asker,
            {C.ANSWERED, C.DEMANDED},
            None,
            event="rated",
            refusal="只有提问人可以评价答复",
        ),
        move(
            "publish",
            "匿名公开到问答库",
            is_decider,
            {C.ANSWERED, C.DEMANDED},
            None,
            event="published",
            refusal="只有平台运营人员可以公开问答",
        ),
        move(
            "to_demand",
            "转为服务需求",
            is_asker,
            {C.ANSWERED},
            C.DEMANDED,
            event="to_demand",
            refusal="只有提问人可以将咨询转为服务需求",
        ),
    ],
)


def _operators() -> list[User]:
    return list(User.objects.filter(role=Role.OPERATOR, is_active=True))


def ask(
    *,
    by: User,
    field: str,
    title: str,
    question: str,
    region: str,
    institution: Organisation | None = None,
    attachments: Iterable[Any] = (),
) -> Consultation:
    """Ask the clinic; the question is routed at once (or waits for an operator)."""
    with FLOW.create("ask", by=by) as step:
        with upload_batch() as batch:
            documents = [
                Document.objects.create(owner=by, kind=DocumentKind.SUPPORTING, **batch.store(f))
                for f in attachments
                if f
            ]
            consultation = Consultation.objects.create(
                number=next_number("ZX", step.at),
                asker=by,
                field=field,
                title=title.strip(),
                question=question.strip(),
                region=region,
                institution=institution,
                status=step.target,
                asked_at=step.at,
            )
            consultation.documents.set(documents)
        step.record = consultation
    expert = routing.choose(consultation)
    if expert is None:
        notify(
            _operators(),
            f"质量门诊咨询 {consultation.number} 暂无可分派专家",
            f"{consultation.title}（{consultation.get_field_display()}），请在“质量门诊”中指派专家。",
        )
        return consultation
    return _route(consultation, "route", expert, by=by)


def _route(consultation: Consultation, action: str, expert: Expert, *, by: User) -> Consultation:
    with FLOW.step(consultation, action, by=by, note=f"分派给{expert.name}专家") as step:
        step.set(expert=expert)
        _tell_expert(step.record, expert)
    _own_clock(step.record, expert)
    return step.record


def _own_clock(consultation: Consultation, expert: Expert) -> None:
    # The expert answers, so the clock's reminder and escalation are theirs.
    clock = open_clock(consultation, ANSWER_CLOCK)
    if clock is not None:
        type(clock).objects.filter(pk=clock.pk).update(owner=expert.user)


def _tell_expert(consultation: Consultation, expert: Expert) -> None:
    notify(
        [expert.user],
        f"新的质量门诊咨询：{consultation.number}",
        f"{consultation.title}，请在 {consultation.answer_days} 个工作日内回答。",
    )


def assign(consultation: Consultation, *, by: User, version: int, expert: Expert) -> Consultation:
    """An operator assigns a waiting question, or moves a running one to another expert."""
    if consultation.status == C.WAITING:
        _check_expert(consultation, expert)
        with FLOW.step(
            consultation, "assign", by=by, version=version, note=f"指派给{expert.name}专家"
        ) as step:
            step.set(expert=expert)
            _tell_expert(step.record, expert)
    else:
        with FLOW.step(
            consultation, "reassign", by=by, version=version, note=f"改派给{expert.name}专家"
        ) as step:
            if step.record.expert_id == expert.pk:
                raise WorkflowError("专家：已是当前回答专家，请选择其他专家")
            _check_expert(step.record, expert)
            step.edit(expert=expert)
            _tell_expert(step.record, expert)
    _own_clock(step.record, expert)
    return step.record


def _check_expert(consultation: Consultation, expert: Expert) -> None:
    if consultation.field not in expert.fields:
        raise WorkflowError(f"专家：{expert.name}的专业领域不含{consultation.get_field_display()}")
    if expert.conflicted(consultation.institution):
        raise WorkflowError(f"专家：{expert.name}与所涉机构存在利益冲突，不能回答该咨询")


def ask_back(consultation: Consultation, *, by: User, version: int, text: str) -> Consultation:
    text = text.strip()
    with FLOW.step(
        consultation, "ask_back", by=by, version=version, note=f"专家追问：{text}"
    ) as step:
        step.set(pending_question=text)
        notify(
            [step.record.asker],
            f"专家对咨询 {step.record.number} 有追问",
            f"{text[:200]}。请补充说明，补充前答复时限暂停计算。",
        )
    return step.record


def reply(consultation: Consultation, *, by: User, version: int, text: str) -> Consultation:
    text = text.strip()
    with FLOW.step(
        consultation, "reply", by=by, version=version, note=f"提问人补充：{text}"
    ) as step:
        step.set(pending_question="")
        notify(
            [step.record.expert.user],
            f"咨询 {step.record.number} 提问人已补充说明",
            f"{text[:200]}。答复时限继续计算。",
        )
    return step.record


def answer(
    consultation: Consultation, *, by: User, version: int, text: str, needs_test: bool
) -> Consultation:
    text = text.strip()
    clock = open_clock(consultation, ANSWER_CLOCK)
    with FLOW.step(consultation, "answer", by=by, version=version, note="专家已回答") as step:
        step.set(
            answer=text,
            needs_test=needs_test,
            answered_at=step.at,
            on_time=clock is None or step.at <= clock.due_at,
        )
        notify(
            [step.record.asker],
            f"咨询 {step.record.number} 专家已回答",
            "请查看答复并评价。" + ("专家建议进行检测，可一键转为服务需求。" if needs_test else ""),
        )
    return step.record


def rate(
    consultation: Consultation, *, by: User, version: int, rating: int, note: str
) -> Consultation:
    with FLOW.step(consultation, "rate", by=by, version=version, note=f"评分 {rating} 分") as step:
        if step.record.rating is not None:
            raise WorkflowError("评分：该答复已评价过")
        step.set(rating=rating, rating_note=note.strip())
    return step.record


def publish(consultation: Consultation, *, by: User, version: int) -> Consultation:
    with FLOW.step(consultation, "publish", by=by, version=version) as step:
        record = step.record
        if record.published_at is not None:
            raise WorkflowError("该问答已公开到问答库")
        if (record.rating or 0) < PUBLISHABLE_RATING:
            raise WorkflowError(f"只有提问人评分不低于 {PUBLISHABLE_RATING} 分的答复可以公开")
        names = [record.asker.party_name, record.asker.display_name, record.expert.name]
        organisations = [o for o in (record.institution, record.expert.organisation) if o]
        organisations += list(Organisation.objects.filter(account=record.asker))
        names += [o.name for o in organisations]
        step.set(
            published_at=step.at,
            public_title=anonymise(record.title, names),
            public_question=anonymise(record.question, names),
            public_answer=anonymise(record.answer, names),
        )
    return step.record


def to_demand(consultation: Consultation, *, by: User, version: int) -> Consultation:
    """One click: the demands app's own publish, with the consultation's history in it."""
    from qihub.demands import workflow as demands

    with FLOW.step(consultation, "to_demand", by=by, version=version) as step:
        record = step.record
        history = "\n".join(
            f"{e.at.astimezone(timezone.get_current_timezone()):%Y-%m-%d %H:%M} {e.note or e.kind_label}"
            for e in record.events.all()
        )
        description = (
            f"{record.question}\n\n【来自质量门诊咨询 {record.number}】\n"
            f"专家答复：{record.answer}\n咨询经过：\n{history}"
        )[:2000]
        demand = demands.publish(
            client=by,
            data={
                "category": record.field,
                "title": record.title[:100],
                "description": description,
                "region": record.region,
            },
            documents=record.documents.all(),
            # The asker chose this in one click from the answer: a similar open demand is
            # linked (`similar_to`, noted in the demand's history) rather than refused.
            allow_similar=True,
        )
        step.set(demand=demand)
        step.note = f"已转为服务需求 {demand.number}"
    return step.record
