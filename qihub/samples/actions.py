"""The sample's actions, one table for the pages (/samples/<code>/<page>/) and the API
(/api/v1/samples/<code>/<api>): same form, same workflow call, same decision (ADR 0009)."""

from typing import Any

from qihub.core.actions import Action, ActionTable
from qihub.demands.forms import VersionForm
from qihub.samples import forms, workflow
from qihub.samples.access import visible
from qihub.samples.models import Sample


def describe(sample: Sample, user: Any) -> dict:
    from qihub.samples.turnaround import legs

    answer = {
        "code": sample.code,
        "order": sample.order.number,
        "name": sample.name,
        "quantity": sample.quantity,
        "retained": sample.retained,
        "conditions": sample.conditions,
        "station": sample.station.name,
        "status": sample.status,
        "status_label": sample.get_status_display(),
        "reason": sample.reason,
        "version": sample.version,
        "handovers": [
            {
                "leg": h.leg,
                "giver": h.giver,
                "receiver": h.receiver,
                "signature": h.get_signature_display(),
                "place": h.place,
                "at": h.at.isoformat(),
            }
            for h in sample.handovers.all()
        ],
        "turnaround": [
            {"leg": leg.label, "working_hours": leg.hours, "label": leg.text}
            for leg in legs(sample)
        ],
    }
    code = workflow.shown_code(sample, user)
    if code:
        answer["handover_code"] = code
    return answer


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="samples:detail",
    describe=describe,
    key="code",
    actions=[
        Action(
            "receive",
            forms.ReceiveForm,
            lambda s, u, c: workflow.receive(
                s, by=u, version=c["version"], photo=c["photo"], note=c["note"]
            ),
            "样品已接收，请打印标签贴在样品上",
            summary="站点接收样品（multipart：checked，photo，version）",
        ),
        Action(
            "refuse",
            forms.ReasonForm,
            lambda s, u, c: workflow.refuse(s, by=u, version=c["version"], reason=c["reason"]),
            "已拒收样品并通知送样人",
            summary="站点拒收样品（reason）",
        ),
        Action(
            "dispatch",
            forms.DispatchForm,
            lambda s, u, c: workflow.dispatch(s, by=u, version=c["version"], carrier=c["carrier"]),
            "样品已交付转运，请把交接码告知转运人",
            summary="站点交付转运（carrier）；回答中的 handover_code 只给交出方",
        ),
        Action(
            "new_code",
            VersionForm,
            lambda s, u, c: workflow.new_code(s, by=u, version=c["version"]),
            "已重新生成交接码",
            page="code",
            api="code",
            summary="站点重新生成交接码",
        ),
        Action(
            "accept",
            forms.AcceptForm,
            lambda s, u, c: workflow.accept(s, by=u, version=c["version"], code=c["code"]),
            "已确认接收样品",
            summary="检测机构输入交接码确认接收（code）",
        ),
        Action(
            "reject",
            forms.ReasonForm,
            lambda s, u, c: workflow.reject(s, by=u, version=c["version"], reason=c["reason"]),
            "已拒收样品并通知送样人",
            summary="检测机构拒收样品（reason）",
        ),
        Action(
            "hand_out",
            forms.HandOutForm,
            lambda s, u, c: workflow.hand_out(
                s,
                by=u,
                version=c["version"],
                collected_by=c["collected_by"],
                id_number=c["id_number"],
                note=c["note"],
            ),
            "报告已发放，代办领取已登记",
            page="handout",
            api="handout",
            summary="站点发放报告（collected_by，id_number）",
        ),
    ],
)
