"""The one workflow mechanism (ADR 0009): every status change of every app goes through here.

An app declares its moves as data — (from statuses, action) → to status, who may take it (a
`rules` predicate over the actor and the record), the clocks it starts, pauses, resumes or stops —
and takes one with `Workflow.step`, which in one transaction:

1. checks the actor against the table (`Refused`, answered 403 by pages and API alike);
2. locks the row at the version the actor saw and checks the move is legal from its status
   (`Conflict`, 409 in the API and a message on the page);
3. runs the app's own body (its fields, checks and notifications), then writes the new status,
   bumps the version, appends exactly one event and moves the declared clocks.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import rules
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

Record = TypeVar("Record", bound=models.Model)


class WorkflowError(Exception):
    """A step the rules of the record refuse, with the reason in Chinese (API 409)."""


class Conflict(WorkflowError):
    """The record moved on (stale version) or the move is not legal from its status (API 409)."""


class Refused(WorkflowError, PermissionDenied):
    """The actor may not take this action on this record (403 on page and API)."""


STALE = "该记录已被他人处理，请刷新页面查看最新状态后再操作"
# Every table in the project (`qihub workflows` prints them).
WORKFLOWS: list["Workflow"] = []


@dataclass(frozen=True)
class Move:
    """One row of a workflow table."""

    action: str
    label: str  # what the button says, and what the history says was done
    who: rules.Predicate
    sources: frozenset[str | None] | None = None  # None: from any status (no status change)
    target: str | None = None  # None: the status stays
    starts: tuple[str, ...] = ()
    stops: tuple[str, ...] = ()
    pauses: tuple[str, ...] = ()
    resumes: tuple[str, ...] = ()
    refusal: str = "您无权进行此操作"
    event: str = ""  # the history's kind for this move (past tense); the action if empty

    @property
    def kind(self) -> str:
        return self.event or self.action


def move(
    action: str,
    label: str,
    who: rules.Predicate,
    sources: Iterable[str | None] | None = None,
    target: str | None = None,
    **effects: Any,
) -> Move:
    """Shorthand for a table row: `move("respond", "响应", is_handler, {PUBLISHED}, RESPONDED)`."""
    return Move(
        action,
        label,
        who,
        None if sources is None else frozenset(sources),
        target,
        **effects,
    )


@dataclass
class Step(Generic[Record]):
    """What the body of one step sees and fills in."""

    record: Record
    move: Move
    by: Any
    at: dt.datetime
    source: str | None
    note: str = ""
    kind: str = ""  # the event's kind; the action unless the body names another declared kind
    fields: set[str] = field(default_factory=set)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    event_fields: dict[str, Any] = field(default_factory=dict)
    clock_note: str = ""
    versioned: bool = False  # the actor stated the version they saw

    @property
    def target(self) -> str:
        """The status this move leads to (for a body that builds or labels the record)."""
        if self.move.target is None:
            raise WorkflowError(f"内部错误：{self.move.action} 不改变状态")
        return self.move.target

    def set(self, **values: Any) -> None:
        """Assign fields of the record; they are saved when the step ends."""
        for name, value in values.items():
            setattr(self.record, name, value)
        self.fields.update(values)

    def edit(self, **values: Any) -> None:
        """Like `set`, keeping the old and new values in the event (records are history)."""
        for name, value in values.items():
            self.before[name] = _plain(getattr(self.record, name))
            self.after[name] = _plain(value)
        self.set(**values)


def load_all() -> list["Workflow"]:
    """Import every installed app's workflow module, so that each table is registered."""
    import importlib
    import importlib.util

    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.workflow"
        if config.name.startswith("qihub.") and importlib.util.find_spec(name):
            importlib.import_module(name)
    return WORKFLOWS


def _plain(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


class Workflow(Generic[Record]):
    """The table of one record type, and the one way to take its moves."""

    def __init__(
        self,
        model: type[Record],
        *,
        events: type[models.Model],
        subject: str,
        moves: Iterable[Move],
        status_field: str = "status",
        kinds: Mapping[str, str] | None = None,
        stale: str = STALE,
        claim_clocks: rules.Predicate | None = None,
    ) -> None:
        self.model = model
        self.events = events
        self.subject = subject  # the event's foreign key to the record
        self.status_field = status_field
        self.moves = {m.action: m for m in moves}
        # Event kinds besides the actions, with their Chinese labels for the history: what the
        # body of a step may name as `step.kind`.
        self.kind_labels: dict[str, str] = dict(kinds or {})
        self.kinds = frozenset(m.kind for m in self.moves.values()) | frozenset(self.kind_labels)
        self.stale = stale
        # Whoever stops an ownerless clock answers for it in the appraisal (CMP-4).
        self.claim_clocks = claim_clocks
        WORKFLOWS.append(self)

    def __getitem__(self, action: str) -> Move:
        return self.moves[action]

    # --- who may: the same answer for buttons, pages, API and the step itself -------------
    def permits(self, user: Any, record: Record | None, action: str) -> bool:
        return bool(self.moves[action].who.test(user, record))

    def legal(self, record: Record | None, action: str) -> bool:
        sources = self.moves[action].sources
        status = getattr(record, self.status_field) if record is not None else None
        return sources is None or status in sources

    def can(self, user: Any, record: Record | None, action: str) -> bool:
        """May this user take this action on this record now (shows the button)."""
        return self.permits(user, record, action) and self.legal(record, action)

    def available(self, user: Any, record: Record) -> set[str]:
        return {a for a in self.moves if self.can(user, record, a)}

    def check_actor(self, user: Any, record: Record | None, action: str) -> None:
        if not self.permits(user, record, action):
            raise Refused(self.moves[action].refusal)

    # --- the step -------------------------------------------------------------------------
    @contextmanager
    def step(
        self,
        record: Record,
        action: str,
        *,
        by: Any,
        version: int | None = None,
        note: str = "",
        at: dt.datetime | None = None,
    ) -> Iterator[Step[Record]]:
        """Take `action` on an existing record; the body fills in the step."""
        move = self.moves[action]
        with transaction.atomic():
            self.check_actor(by, record, action)
            locked = self.model._default_manager.select_for_update().get(pk=record.pk)
            if version is not None and getattr(locked, "version", version) != version:
                raise Conflict(self.stale)
            source = getattr(locked, self.status_field)
            if move.sources is not None and source not in move.sources:
                raise Conflict(self._illegal(locked, move))
            step = Step(locked, move, by, at or timezone.now(), source, note=note)
            step.versioned = version is not None
            yield step
            self._finish(step)

    @contextmanager
    def create(
        self, action: str, *, by: Any, note: str = "", at: dt.datetime | None = None
    ) -> Iterator[Step[Any]]:
        """Take a creating move: the body builds the record with `step.target` as status and
        assigns it to `step.record`; the event and clocks follow as for any step."""
        move = self.moves[action]
        with transaction.atomic():
            self.check_actor(by, None, action)
            step: Step[Any] = Step(None, move, by, at or timezone.now(), None, note=note)
            yield step
            if step.record is None:
                raise WorkflowError("内部错误：未创建记录")
            self._finish(step, created=True)

    def _illegal(self, record: Record, move: Move) -> str:
        status = getattr(record, self.status_field)
        label = getattr(record, f"get_{self.status_field}_display", lambda: status)()
        return f"当前状态（{label}）不能{move.label}，请刷新页面查看最新状态"

    def _finish(self, step: Step, created: bool = False) -> None:
        record, move = step.record, step.move
        if move.target is not None and not created:
            step.set(**{self.status_field: move.target})
        if not created and step.fields:
            fields = set(step.fields)
            if hasattr(record, "version"):
                record.version += 1
                fields.add("version")
            record.save(update_fields=sorted(fields))
        elif not created and step.versioned and hasattr(record, "version"):
            record.version += 1  # acted on as seen (a shortlist edit): a stale form must not act
            record.save(update_fields=["version"])
        kind = step.kind or move.kind
        if kind not in self.kinds:
            raise WorkflowError(f"内部错误：未声明的事件类型 {kind}")
        self.events._default_manager.create(
            **{self.subject: record},
            kind=kind,
            from_status=step.source or "",
            to_status=getattr(record, self.status_field, "") or "",
            by=step.by,
            at=step.at,
            note=(step.note or "")[:500],
            before=step.before,
            after=step.after,
            **step.event_fields,
        )
        self._clocks(step)

    def _clocks(self, step: Step) -> None:
        from qihub.deadlines import workflow as clocks
        from qihub.deadlines.queries import open_clock

        move, record, note = step.move, step.record, step.clock_note or step.move.label
        for code in move.starts:
            clocks.start_clock(code, record, at=step.at)
        for code in move.pauses:
            clock = open_clock(record, code)
            if clock is not None:
                clocks.pause_clock(clock, reason=step.note or move.label, by=step.by, at=step.at)
        for code in move.resumes:
            clock = open_clock(record, code)
            if clock is not None:
                clocks.resume_clock(clock, by=step.by, at=step.at)
        for code in move.stops:
            clock = open_clock(record, code)
            if clock is None:
                continue
            if clock.owner_id is None and self.claim_clocks and self.claim_clocks.test(step.by):
                type(clock).objects.filter(pk=clock.pk).update(owner=step.by)
            clocks.stop_clock(clock, by=step.by, at=step.at, note=note)

    def graph(self) -> str:
        """The table in Graphviz dot (`qihub workflows --dot`)."""
        lines = [f'digraph "{self.model._meta.label}" {{']
        for m in self.moves.values():
            for source in sorted(m.sources or {"*"}, key=str):
                lines.append(
                    f'  "{source or "新建"}" -> "{m.target or source}" [label="{m.label}"];'
                )
        return "\n".join([*lines, "}"])
