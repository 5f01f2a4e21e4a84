"""ARC-2: no model of the platform can be edited without its past being kept."""

import pytest
from django.apps import apps
from simple_history.models import registered_models

from qihub.core.models import Event
from qihub.core.workflow import load_all
from qihub.history.registry import (
    APPEND_ONLY,
    NOT_HISTORY,
    NOT_HISTORY_APPS,
    TRACKED,
)

HOW_TO = (
    "Edited master data: add it to TRACKED in qihub/history/registry.py and run "
    "`qihub makemigrations history`. A workflow record: give it a Workflow with an Event "
    "table (ADR 0009). Rows written once: APPEND_ONLY with the reason. Machinery: NOT_HISTORY "
    "with the reason (docs/adr/0014-history.md)."
)


def _how_kept() -> dict[str, str]:
    workflow_records = {flow.model._meta.label for flow in load_all()}
    tracked = {model._meta.label for model in registered_models.values()}
    found: dict[str, str] = {}
    for model in apps.get_models():
        label = model._meta.label
        ways = []
        if label in tracked:
            ways.append("tracked")
        if issubclass(model, Event):
            ways.append("event")
        if label in workflow_records:
            ways.append("workflow")
        if label in APPEND_ONLY:
            ways.append("append-only")
        if label in NOT_HISTORY or model._meta.app_label in NOT_HISTORY_APPS:
            ways.append("not history")
        found[label] = "+".join(ways)
    return found


@pytest.mark.req("ARC-2")
def test_every_model_keeps_its_history_or_says_why_not():
    unkept = sorted(label for label, how in _how_kept().items() if not how)
    assert not unkept, f"models that can be edited without history: {', '.join(unkept)}. {HOW_TO}"


@pytest.mark.req("ARC-2")
def test_no_model_is_kept_twice_or_listed_in_vain():
    """A workflow record or an append-only log also tracked by simple-history pays two writes
    per save for one history; a list entry naming no model is a stale excuse."""
    how = _how_kept()
    doubled = sorted(label for label, ways in how.items() if "+" in ways)
    assert not doubled, f"kept two ways (keep one): {', '.join(doubled)}"
    listed = set(TRACKED) | set(APPEND_ONLY) | set(NOT_HISTORY)
    stale = sorted(label for label in listed if label not in how)
    assert not stale, f"listed in qihub/history/registry.py but no such model: {', '.join(stale)}"
    reasons = {**APPEND_ONLY, **NOT_HISTORY, **NOT_HISTORY_APPS}
    assert all(reason.strip() for reason in reasons.values()), "every exception gives its reason"


def test_every_tracked_model_has_its_version_table():
    tracked = {model._meta.label for model in registered_models.values()}
    missing = sorted(set(TRACKED) - tracked)
    assert not missing, f"in TRACKED but not registered with simple-history: {missing}"
