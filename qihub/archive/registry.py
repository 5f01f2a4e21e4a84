"""The archive's sources (ARC-1): each app contributes a provider in its own `archive_sources`
module, registered when the apps are ready, so the archive reads every app without naming one.

A provider takes the enterprise's account and returns its records; each record carries its own
history, read from the one event shape (`qihub.core.models.Event`), and its files.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from qihub.accounts.models import Document, User


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when, what was done, by whom."""

    at: dt.datetime
    what: str
    note: str = ""
    by: str = ""


@dataclass
class Record:
    """One demand, order, report… of the enterprise, as the archive shows it."""

    kind: str
    title: str
    at: dt.datetime
    status: str = ""
    number: str = ""
    entries: list[Entry] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return SOURCES[self.kind].label


Provider = Callable[[User], Iterable[Record]]


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    provider: Provider
    order: int


SOURCES: dict[str, Source] = {}


def source(key: str, label: str, order: int = 50) -> Callable[[Provider], Provider]:
    """Register a provider: `@source("orders", "服务订单")` above a function of the account."""

    def register(provider: Provider) -> Provider:
        SOURCES[key] = Source(key, label, provider, order)
        return provider

    return register


def discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("archive_sources")


def sources() -> list[Source]:
    return sorted(SOURCES.values(), key=lambda s: (s.order, s.key))


def events_of(events: Iterable[Any]) -> list[Entry]:
    """A record's history rows (any subclass of the one event shape) as timeline entries."""
    entries = []
    for event in events:
        note = "；".join(part for part in (event.transition, event.note) if part)
        by = event.by.party_name if event.by_id else ""
        entries.append(Entry(event.at, event.kind_label, note, by))
    return entries


def record(
    kind: str,
    title: str,
    at: dt.datetime,
    *,
    status: str = "",
    number: str = "",
    events: Iterable[Any] = (),
    created: str = "",
    documents: Iterable[Document] = (),
) -> Record:
    """A record with its history; `created` names a first entry for records without events."""
    entries = events_of(events)
    if created and not entries:
        entries = [Entry(at, created)]
    return Record(kind, title, at, status, number, entries, [d for d in documents if d])


def records_of(account: User, kind: str | None = None) -> list[Record]:
    """Every record of the enterprise (of one kind when given), newest first."""
    chosen = [s for s in sources() if kind in (None, s.key)]
    rows = [r for s in chosen for r in s.provider(account)]
    return sorted(rows, key=lambda r: r.at, reverse=True)


@dataclass(frozen=True)
class Line:
    """A timeline line: the entry and the record it belongs to."""

    entry: Entry
    record: Record


def timeline(records: Iterable[Record]) -> list[Line]:
    lines = [Line(e, r) for r in records for e in r.entries]
    return sorted(lines, key=lambda line: line.entry.at, reverse=True)
