"""File each case when its workflow closes it: one receiver on the workflows' event tables.

The workflows themselves know nothing of filing (ADR 0009 keeps one event per step); the event
that moves a record into a closing status is the signal.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_save

from qihub.filing.models import CaseKind


@dataclass(frozen=True)
class CaseSource:
    kind: str
    model: str  # the workflow's record, "app.Model"
    closing: frozenset[str]
    title: Callable[[Any], str]


SOURCES: tuple[CaseSource, ...] = (
    CaseSource(CaseKind.DEMAND, "demands.Demand", frozenset({"closed"}), lambda r: r.title),
    CaseSource(CaseKind.ORDER, "orders.Order", frozenset({"completed"}), lambda r: r.service.name),
    CaseSource(
        CaseKind.COMPLAINT,
        "complaints.Complaint",
        frozenset({"closed"}),
        lambda r: f"投诉 {r.number}",
    ),
    CaseSource(
        CaseKind.CONSULTATION,
        "clinic.Consultation",
        frozenset({"answered", "demanded"}),
        lambda r: r.title,
    ),
    CaseSource(
        CaseKind.ENTRUSTMENT,
        "agency.Entrustment",
        frozenset({"done"}),
        lambda r: f"全程代办 {r.number}",
    ),
)


def connect() -> None:
    from qihub.core.workflow import load_all

    flows = {flow.model._meta.label: flow for flow in load_all()}
    for source in SOURCES:
        flow = flows.get(source.model)
        if flow is None:  # an app not installed
            continue
        post_save.connect(
            _receiver(source, flow.subject),
            sender=flow.events,
            weak=False,
            dispatch_uid=f"filing:{source.kind}",
        )


def _receiver(source: CaseSource, subject: str) -> Callable[..., None]:
    def on_event(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
        if not created or kwargs.get("raw"):
            return
        if instance.to_status not in source.closing or instance.from_status == instance.to_status:
            return
        from qihub.filing.services import file_case

        record = getattr(instance, subject)
        file_case(source.kind, record.number, source.title(record), instance.at)

    return on_event
