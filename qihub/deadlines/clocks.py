"""Every statutory clock, declared once: length, unit, what starts and stops it, pauses, source.

Flows start and stop clocks by code through `qihub.deadlines.workflow`; nothing else knows the
numbers below.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from qihub.workcal.calendar import Due, WorkCalendar, end_of_day, local_date


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True)
class ClockSpec:
    code: str
    name: str
    length: int
    unit: Unit
    starts_on: str
    stops_on: str
    source: str
    pause_reason: str = ""  # empty: the clock may not pause
    # A period agreed per record rather than fixed by a rule (an order's service period): the
    # subject's field holding it. `length` is then only the fallback; the due time is always
    # computed from the subject, so a calendar import recomputes it like any other clock.
    length_field: str = ""
    # The green channel (加急/绿色通道, DEM-14): the period of an urgent subject (one whose
    # `urgent` is set) is at most this long; None: urgency does not change this clock.
    urgent_length: int | None = None

    @property
    def pausable(self) -> bool:
        return bool(self.pause_reason)

    @property
    def reads_subject(self) -> bool:
        """The due time depends on the record (an agreed period, or its urgency)."""
        return bool(self.length_field) or self.urgent_length is not None

    def is_urgent(self, subject: Any = None) -> bool:
        return self.urgent_length is not None and bool(getattr(subject, "urgent", False))

    def length_for(self, subject: Any = None) -> int:
        length = self.length
        if self.length_field and subject is not None:
            length = int(getattr(subject, self.length_field) or self.length)
        if self.urgent_length is not None and self.is_urgent(subject):
            length = min(length, self.urgent_length)
        return length

    def label_for(self, subject: Any = None) -> str:
        unit = {"working_days": "个工作日", "months": "个月", "calendar_days": "天"}[self.unit]
        if self.length_field and subject is None:
            return f"{self.name}（按约定{unit.removeprefix('个')}数）"
        length = self.length_for(subject)
        if self.is_urgent(subject):
            # 0 working days: by the end of the day it started (当日).
            return f"{self.name}（加急：{'当日' if length == 0 else f'{length}{unit}'}）"
        return f"{self.name}（{length}{unit}）"

    @property
    def label(self) -> str:
        return self.label_for()

    def due(self, start: dt.datetime, calendar: WorkCalendar, subject: Any = None) -> Due:
        length = self.length_for(subject)
        if self.unit == Unit.WORKING_DAYS:
            return calendar.add_working_days(start, length)
        if self.unit == Unit.MONTHS:
            return calendar.add_months(start, length)
        day = local_date(start) + dt.timedelta(days=length)
        return Due(end_of_day(day), not calendar.is_official(day.year))


CLOCKS: dict[str, ClockSpec] = {
    spec.code: spec
    for spec in [
        ClockSpec(
            "account_review",
            "注册审核",
            3,
            Unit.WORKING_DAYS,
            starts_on="申请人提交注册材料",
            stops_on="运营机构告知审核结果",
            source="TZ 6.1.2, WX 7.1.1.5",
        ),
        ClockSpec(
            "change_report",
            "变更报备",
            1,
            Unit.MONTHS,
            starts_on="名称、地址、法定代表人等发生变更之日",
            stops_on="用户提交变更材料",
            source="TZ 6.1.3, WX 7.1.1.6",
        ),
        ClockSpec(
            "deregistration",
            "注销办理",
            1,
            Unit.MONTHS,
            starts_on="机构停业",
            stops_on="机构完成注销",
            source="TZ 6.1.4",
        ),
        ClockSpec(
            "demand_response",
            "需求响应",
            1,
            Unit.WORKING_DAYS,
            starts_on="需求发布",
            stops_on="平台首次响应",
            source="TZ 6.3.2.1, WX 7.2.2.2.1; 加急当日响应：LYG 6.2.1.7 未给时限，平台自定",
            urgent_length=0,
        ),
        ClockSpec(
            "demand_recommendation",
            "机构推荐",
            3,
            Unit.WORKING_DAYS,
            starts_on="需求发布",
            stops_on="推荐名单发送给企业",
            source="TZ 6.3.2.1, WX 7.2.2.2.1; 加急 1 个工作日：LYG 6.2.1.7 未给时限，平台自定",
            urgent_length=1,
        ),
        ClockSpec(
            "complaint",
            "投诉调查核实",
            7,
            Unit.WORKING_DAYS,
            starts_on="受理投诉",
            stops_on="处理结果反馈投诉人",
            source="WX 7.4.3, TZ 6.5.3",
            pause_reason="等待投诉人补充材料或说明",
        ),
        ClockSpec(
            "rectification",
            "整改",
            15,
            Unit.WORKING_DAYS,
            starts_on="评价发现问题",
            stops_on="整改效果验证通过",
            source="QHD 8.3.1, TZ 7.2.1",
        ),
        ClockSpec(
            "window_check",
            "窗口内部评价",
            12,
            Unit.MONTHS,
            starts_on="站点设立或上次内部评价",
            stops_on="完成本年度内部评价",
            source="QHD 8.2.1",
        ),
        ClockSpec(
            "product_follow_up",
            "产品定期跟踪",
            14,
            Unit.CALENDAR_DAYS,
            starts_on="上次跟踪服务",
            stops_on="完成本次跟踪",
            source="SJ 8.2.3",
        ),
        ClockSpec(
            "diagnosis_followup",
            "诊断问题整改期限",
            30,
            Unit.CALENDAR_DAYS,
            starts_on="诊断人员登记诊断发现的问题（期限为登记时约定的整改日期）",
            stops_on="诊断人员确认问题已解决或未解决",
            source="ENT-7, TZ 5.5.2",
            length_field="days_to_due",
        ),
        ClockSpec(
            "flow_step",
            "流程步骤办理",
            5,
            Unit.WORKING_DAYS,
            starts_on="办理流程进入有时限的步骤（时限为流程模板中该步骤的工作日数）",
            stops_on="企业或服务团队勾选该步骤完成（流程撤销时结束）",
            source="BIO-2, LYG 附录 A–F",
            length_field="limit_days",
        ),
        ClockSpec(
            "pool_offer",
            "批量委托报价",
            3,
            Unit.WORKING_DAYS,
            starts_on="平台将相似需求打包交给机构",
            stops_on="机构报出批量价格与周期，或不承接（批次撤销时结束）",
            source="DEM-13, TZ 4.2.2.1；种子文件未给时限，平台自定",
        ),
        ClockSpec(
            "pool_answer",
            "企业答复批量报价",
            5,
            Unit.WORKING_DAYS,
            starts_on="机构报出批量价格与周期",
            stops_on="企业接受（生成订单）或谢绝批量报价",
            source="DEM-13, WX 5.2 b 1；种子文件未给时限，平台自定",
        ),
        ClockSpec(
            "clinic_answer",
            "质量门诊答复",
            2,
            Unit.WORKING_DAYS,
            starts_on="咨询分派给专家",
            stops_on="专家答复咨询（追问期间暂停，提问人补充后继续）",
            source="DEM-10, WX 5.3 a",
            pause_reason="等待提问人补充说明",
            length_field="answer_days",
        ),
        ClockSpec(
            "demand_follow_up",
            "需求跟踪回访",
            5,
            Unit.WORKING_DAYS,
            starts_on="需求进入服务中（首次下单），或第一受理人登记上一次跟踪回访",
            stops_on="登记跟踪回访或问题协调记录（需求服务完成、办结时结束）",
            source="DEM-7, TZ 6.3.2.4, WX 7.2.2.2.4; 间隔未给时限，平台自定，运营方可调整",
            length_field="follow_up_days",
        ),
        ClockSpec(
            "return_visit",
            "服务回访",
            7,
            Unit.CALENDAR_DAYS,
            starts_on="服务办结后自动安排或工作人员手动安排回访",
            stops_on="登记回访结果（期限为计划回访日期）",
            source="EVAL-2, TZ 6.4.2; 回访日期未给时限，平台自定，运营方可调整",
            length_field="visit_days",
        ),
        ClockSpec(
            "package_plan",
            "定制服务方案编制",
            5,
            Unit.WORKING_DAYS,
            starts_on="企业提交一揽子服务申请",
            stops_on="协调人向企业提交服务方案（企业退回修改时重新计时）",
            source="DEM-12, QHD 6.2.2（种子未规定时限，平台取 5 个工作日）",
        ),
        ClockSpec(
            "order_service",
            "订单服务周期",
            5,
            Unit.WORKING_DAYS,
            starts_on="机构确认订单（按需报价的服务：下单人接受报价）",
            stops_on="机构完成服务或出具报告（订单取消、不予受理时结束）",
            source="ORD-2, ORD-6; 加急至多 3 个工作日：LYG 6.2.1.7、6.3.5.1 未给时限，平台自定",
            length_field="period_days",
            urgent_length=3,
        ),
        ClockSpec(
            "improvement_action",
            "改进措施完成",
            90,
            Unit.CALENDAR_DAYS,
            starts_on="监管部门在年度改进计划中列入改进措施",
            stops_on="责任人登记措施完成（进度 100%）",
            source="TZ 7.2.1 c, WX 8.2 c, LYG 7.3.1（期限由计划逐项约定）",
            length_field="days_allowed",
        ),
        ClockSpec(
            "defect_answer",
            "产品缺陷报告答复",
            5,
            Unit.WORKING_DAYS,
            starts_on="提交产品缺陷报告（即受理）",
            stops_on="平台答复报告人（移送监管部门或生产企业另行记录）",
            source="CMP-5, TZ 5.8.3 未给时限，平台自定 5 个工作日（同咨询答复的常用时限）",
        ),
        ClockSpec(
            "finance_referral",
            "金融对接转介",
            3,
            Unit.WORKING_DAYS,
            starts_on="企业提交金融服务对接申请",
            stops_on="平台将申请转介给金融机构（或企业撤回）",
            source="OPS-5, WX 6.7.5、TZ 5.7.3 未给时限，平台自定，同机构推荐的 3 个工作日",
        ),
        ClockSpec(
            "support_answer",
            "技术支持答复",
            1,
            Unit.WORKING_DAYS,
            starts_on="用户提交技术支持请求（或在答复后补充说明）",
            stops_on="平台工作人员答复（或用户关闭请求）",
            source="OPS-1, TZ 4.1.4 c、WX 4.1.2 c 未给时限，平台自定 1 个工作日（远程支持须当日可达）",
        ),
    ]
}


def spec_for(code: str) -> ClockSpec:
    try:
        return CLOCKS[code]
    except KeyError:
        raise ValueError(f"unknown clock {code!r}; declared: {', '.join(CLOCKS)}") from None
