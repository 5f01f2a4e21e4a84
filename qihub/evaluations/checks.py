"""The window checklist of QHD Annex B (EVAL-8) and satisfaction campaigns (EVAL-3, EVAL-5).

An internal evaluation is due at least once a year: the `window_check` clock runs from the
station's opening (or its last internal evaluation) and each internal evaluation restarts it.
Every failed item opens a rectification (EVAL-9).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from qihub.accounts.models import Organisation, Station, User
from qihub.accounts.roles import BACK_OFFICE, HANDLERS, is_back_office, is_station_staff
from qihub.deadlines import workflow as clocks
from qihub.deadlines.queries import open_clock
from qihub.evaluations import satisfaction
from qihub.evaluations.models import Campaign, CampaignResponse, CheckKind, Method, WindowCheck
from qihub.evaluations.workflow import open_rectification

CLOCK = "window_check"
# Internal checks by the operator or the station itself; ad-hoc ones by the supervising
# department (with the operator) from the back office.
CHECKERS: dict[str, frozenset[str]] = {CheckKind.INTERNAL: HANDLERS, CheckKind.AD_HOC: BACK_OFFICE}


@dataclass(frozen=True)
class Item:
    code: str
    section: str
    text: str


# QHD (DB1303/T 329-2022) Annex B "评价内容", with its sections 5.1–5.5 and 7 for the elements
# the published text truncates (resources, rules, staff, service).
CHECKLIST: tuple[Item, ...] = (
    Item("site-1", "场所选址", "选址交通便利，便于服务对象办事"),
    Item("fac-1", "设施设备", "公示服务项目、服务流程、工作制度及服务和监督投诉电话"),
    Item("fac-2", "设施设备", "办公设施齐全（桌椅、联网电脑、打印复印设备、办公电话）"),
    Item(
        "fac-3", "设施设备", "消防通道、安全出口数量符合疏散要求并保持畅通，配备消防器材和应急照明"
    ),
    Item("fac-4", "设施设备", "有专人对设施设备定期检查和维护，设备运行正常"),
    Item("sign-1", "标识标牌", "使用统一的“一站式”服务标识，标识、标牌统一"),
    Item("sign-2", "标识标牌", "公共信息图形符号符合 GB/T 10001.1"),
    Item("res-1", "服务资源", "整合质量技术服务机构、优势企业资源和专家库"),
    Item("rule-1", "制度建设", "建立组织架构、服务内容、服务流程、服务质量监督、评价改进等制度"),
    Item("staff-1", "人员", "指定运营机构负责人，负责窗口日常质量服务工作"),
    Item("staff-2", "人员", "配备专（兼）职工作人员，具备质量相关基础知识，使用普通话交流"),
    Item("svc-1", "服务", "公开需求收集渠道，第一受理人对服务全过程负责"),
    Item("svc-2", "服务", "跟踪服务进度，建立服务方与服务对象的联络机制"),
    Item("svc-3", "服务", "服务记录完整、真实、准确并统一归档"),
)
ITEMS = {item.code: item for item in CHECKLIST}


class CheckError(Exception):
    pass


def ensure_station_clock(station: Station, at: dt.datetime | None = None) -> None:
    """Every running station has an open yearly clock (started at its opening or creation)."""
    if station.active and open_clock(station, CLOCK) is None:
        clocks.start_clock(CLOCK, station, at=at or timezone.now())


@transaction.atomic
def record_check(
    station: Station,
    *,
    by: User,
    kind: str,
    checked_on: dt.date,
    results: Mapping[str, Mapping[str, object]],
    summary: str = "",
) -> WindowCheck:
    """Every item answered (passed or not, a note required when not); failed items open rectifications."""
    if kind not in CHECKERS:
        raise CheckError("评价类型：不是可选的值")
    if by.role not in CHECKERS[kind]:
        raise CheckError(
            "不定期评价由统筹部门或运营机构开展"
            if kind == CheckKind.AD_HOC
            else "内部评价由运营机构或本站点人员开展"
        )
    if is_station_staff(by) and by.station_id != station.pk:
        raise CheckError("只能对本站点开展内部评价")
    if checked_on > timezone.localdate():
        raise CheckError("评价日期：不能晚于今天")
    clean: dict[str, dict[str, object]] = {}
    for item in CHECKLIST:
        answer = results.get(item.code)
        if answer is None or answer.get("ok") is None:
            raise CheckError(f"{item.section}“{item.text}”：请选择是否符合")
        note = str(answer.get("note") or "").strip()
        if not answer["ok"] and not note:
            raise CheckError(f"{item.section}“{item.text}”：不符合时请写明问题")
        clean[item.code] = {"ok": bool(answer["ok"]), "note": note[:300]}
    check = WindowCheck.objects.create(
        station=station,
        kind=kind,
        checked_on=checked_on,
        by=by,
        results=clean,
        summary=summary.strip()[:500],
    )
    for code in check.failed():
        open_rectification(
            by=by,
            window_check=check,
            check_item=code,
            problem=f"{ITEMS[code].section}：{ITEMS[code].text}——{clean[code]['note']}",
        )
    if kind == CheckKind.INTERNAL:
        clock = open_clock(station, CLOCK)
        if clock is not None:
            clocks.stop_clock(clock, by=by, note="已完成内部评价")
        clocks.start_clock(CLOCK, station)
    return check


@transaction.atomic
def create_campaign(
    *,
    by: User,
    title: str,
    method: str,
    year: int,
    quarter: int,
    institution: Organisation | None = None,
    station: Station | None = None,
    evaluator: str = "",
) -> Campaign:
    if not is_back_office(by):
        raise CheckError("只有运营机构或统筹部门可以组织满意度评价")
    if not title.strip():
        raise CheckError("评价活动名称：必须填写")
    if method not in Method.values:
        raise CheckError("评价方式：不是可选的值")
    if method == Method.THIRD_PARTY and not evaluator.strip():
        raise CheckError("评价主体：第三方评价须写明第三方机构名称")
    if institution is not None and station is not None:
        raise CheckError("被评对象：机构和站点只能选一个")
    if not 1 <= quarter <= 4:
        raise CheckError("季度：请填 1–4")
    return Campaign.objects.create(
        title=title.strip(),
        method=method,
        year=year,
        quarter=quarter,
        institution=institution,
        station=station,
        evaluator=evaluator.strip(),
        created_by=by,
    )


@transaction.atomic
def add_response(
    campaign: Campaign, *, by: User, scores: Mapping[str, object], comment: str = ""
) -> CampaignResponse:
    if not is_back_office(by):
        raise CheckError("只有运营机构或统筹部门可以录入问卷")
    try:
        clean = satisfaction.check_scores(scores)
    except satisfaction.ScoreError as exc:
        raise CheckError(str(exc)) from None
    return CampaignResponse.objects.create(
        campaign=campaign, scores=clean, comment=comment.strip()[:500], entered_by=by
    )


def campaign_result(campaign: Campaign, scores: Iterable[dict] | None = None) -> dict:
    """The campaign's tally; `scores` when the caller already read them (a list of campaigns
    reads every campaign's responses in one query, see `campaign_results`)."""
    tally = satisfaction.Tally.empty()
    if scores is None:
        scores = campaign.responses.values_list("scores", flat=True)
    for one in scores:
        tally.add(one)
    return {"responses": tally.responses, "means": tally.means(), "index": tally.index()}


def campaign_results(campaigns: list[Campaign]) -> dict[int, dict]:
    """`campaign_result` of each campaign, their responses read in one query (B11)."""
    by_campaign: dict[int, list[dict]] = {c.pk: [] for c in campaigns}
    rows = CampaignResponse.objects.filter(campaign__in=campaigns).order_by("id")
    for campaign_id, scores in rows.values_list("campaign_id", "scores"):
        by_campaign[campaign_id].append(scores)
    return {c.pk: campaign_result(c, by_campaign[c.pk]) for c in campaigns}
