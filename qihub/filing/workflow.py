"""The archive item's table (ADR 0009): filed when a case closes, then appraised when its
retention period has run out — destroyed (鉴定销毁) or kept longer (延长保管), never silently."""

import rules

from qihub.accounts.roles import is_decider
from qihub.core.workflow import Workflow, move
from qihub.filing.models import ArchiveEvent, ArchiveItem, Disposal

APPRAISABLE = {Disposal.KEPT, Disposal.EXTENDED}

FLOW: Workflow[ArchiveItem] = Workflow(
    ArchiveItem,
    events=ArchiveEvent,
    subject="item",
    moves=[
        # Taken by the platform itself when a case closes (a receiver, no page offers it).
        move("file", "归档", rules.always_allow, {None}, Disposal.KEPT),
        move(
            "destroy",
            "鉴定销毁",
            is_decider,
            APPRAISABLE,
            Disposal.DESTROYED,
            refusal="只有平台运营人员可以作出处置决定",
        ),
        move(
            "extend",
            "延长保管",
            is_decider,
            APPRAISABLE,
            Disposal.EXTENDED,
            refusal="只有平台运营人员可以作出处置决定",
        ),
    ],
    stale="该归档文件已被他人处置，请刷新页面查看最新状态后再操作",
)
