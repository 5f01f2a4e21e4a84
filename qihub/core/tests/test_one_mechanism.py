"""Guards for ADR 0009 (one workflow mechanism): the rules that keep it the only one.

They read the source (Python's `ast`, not a regular expression, so layout and comments do not
matter) and name every offending file:line, so a failure says exactly what to move where.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.db import models

from qihub.accounts.models import Role

QIHUB = Path(__file__).resolve().parents[2]
ROOT = QIHUB.parent

# Where role groups are declared (accounts.roles) or roles are the subject itself: the user
# model, the demo data, and the per-role workbench, navigation and permission tables.
ROLE_TUPLES_ALLOWED = {
    "qihub/accounts/roles.py",
    "qihub/accounts/models.py",
    "qihub/core/demo.py",
    "qihub/accounts/workbench.py",
    "qihub/accounts/navigation.py",
    "qihub/accounts/permissions.py",
}
ROLE_VALUES = {str(role) for role in Role}


def sources() -> Iterator[tuple[str, ast.Module]]:
    """Every module of the platform itself: not its tests, not its migrations."""
    for path in sorted(QIHUB.rglob("*.py")):
        parts = path.relative_to(QIHUB).parts
        if "tests" in parts or "migrations" in parts:
            continue
        name = path.relative_to(ROOT).as_posix()
        yield name, ast.parse(path.read_text(encoding="utf-8"), filename=name)


def _is_role_member(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
    )


def _is_role_value(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in ROLE_VALUES


def _role_collections(tree: ast.Module) -> Iterator[tuple[int, list[ast.expr]]]:
    """Groups of roles spelled in place: `(Role.A, Role.B)`, `role_required(Role.A, Role.B)`,
    and the same with the roles' string values where a role is compared (`user.role in
    ("operator", "admin")`, `role__in=["operator", "admin"]`)."""
    by_value: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and (
            isinstance(node.left, ast.Attribute) and node.left.attr == "role"
        ):
            by_value.update(id(c) for c in node.comparators)
        if isinstance(node, ast.keyword) and (node.arg or "").startswith("role__"):
            by_value.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            members = node.elts
        elif isinstance(node, ast.Call):
            members = node.args
        else:
            continue
        roles = [m for m in members if _is_role_member(m)]
        if id(node) in by_value:
            roles += [m for m in members if _is_role_value(m)]
        if len(roles) >= 2:
            yield node.lineno, roles


def test_no_role_tuple_outside_the_accounts_role_groups():
    offenders = [
        f"{name}:{line}: {', '.join(ast.unparse(r) for r in roles)}"
        for name, tree in sources()
        if name not in ROLE_TUPLES_ALLOWED
        for line, roles in sorted(_role_collections(tree), key=lambda found: found[0])
    ]

    assert not offenders, (
        "role groups are declared once, in qihub/accounts/roles.py (ADR 0009); "
        "use a group or its predicate instead of:\n" + "\n".join(offenders)
    )


def _history_models() -> set[str]:
    """The event tables of records that have a status: what only a workflow step may write."""
    names = set()
    for model in apps.get_models():
        subjects = [
            f.related_model
            for f in model._meta.fields
            if isinstance(f, models.ForeignKey) and f.related_model is not None
        ]
        if model.__name__.endswith("Event") and any(
            any(f.name == "status" for f in s._meta.fields) for s in subjects
        ):
            names.add(model.__name__)
    return names


def _status_and_event_writes(tree: ast.Module, events: set[str]) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Attribute) and leaf.attr == "status":
                        yield node.lineno, f"{ast.unparse(leaf)} = …"
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "update":
            if any(k.arg == "status" for k in node.keywords):
                yield node.lineno, f"{ast.unparse(func)}(status=…)"
        if isinstance(func, ast.Name) and func.id in events:
            yield node.lineno, f"{func.id}(…)"
        if isinstance(func, ast.Attribute) and func.attr in {"create", "bulk_create"}:
            owner = func.value
            if isinstance(owner, ast.Attribute) and owner.attr == "events":
                yield node.lineno, f"{ast.unparse(func)}(…)"
            if (
                isinstance(owner, ast.Attribute)
                and owner.attr == "objects"
                and isinstance(owner.value, ast.Name)
                and owner.value.id in events
            ):
                yield node.lineno, f"{ast.unparse(func)}(…)"


# Progress of background jobs, not records people act on: no actor, no history, and claimed by
# a conditional UPDATE so that exactly one worker runs each job.
MACHINE_STATES = ("ImportJob.objects", "LoadJob.objects")
# Facts about published documents, copied from their source (a standard's 现行/被代替 from the
# national portal's file, and 即将实施 → 现行 on its 实施日期): no one takes a step on them here.
PUBLISHED_FACTS = ("standard.status",)


def test_no_status_or_event_write_outside_the_mechanism():
    events = _history_models() | {"Event"}
    offenders = [
        f"{name}:{line}: {what}"
        for name, tree in sources()
        if not name.endswith("core/workflow.py")
        for line, what in sorted(set(_status_and_event_writes(tree, events)))
        if not what.startswith(MACHINE_STATES + PUBLISHED_FACTS)
    ]

    assert not offenders, (
        "statuses and their history change only inside the mechanism: the app's workflow.py "
        "takes a step (qihub.core.workflow, ADR 0009) and never writes them itself:\n"
        + "\n".join(offenders)
    )


def test_the_guards_see_what_they_forbid():
    """The readers above, on a sample of each forbidden spelling (so a pass means something)."""
    roles = ast.parse(
        "role_required(Role.OPERATOR, Role.ADMIN)\n"
        "User.objects.filter(role__in=['operator', 'admin'])\n"
        "ok = user.role in ('operator', 'admin', 'station_staff')\n"
        "fine = ('operator', 'admin')\n"  # strings not compared with a role: not a role group
        "one = Role.OPERATOR\n"
    )
    writes = ast.parse(
        "order.status = S.DONE\n"
        "Order.objects.filter(pk=1).update(status='done')\n"
        "OrderEvent.objects.create(order=order, kind='x')\n"
        "order.events.create(kind='x')\n"
        "OrderEvent(order=order, kind='x').save()\n"
        "order.state = 'x'\n"
    )

    assert [line for line, _ in sorted(_role_collections(roles), key=lambda f: f[0])] == [1, 2, 3]
    assert [line for line, _ in sorted(set(_status_and_event_writes(writes, {"OrderEvent"})))] == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_lists_use_the_compiled_template_column():
    """`core.lists.TemplateColumn` compiles a cell template once; the stock django-tables2 one
    parses it again for every cell (issue 23). Every list uses ours."""
    offenders = []
    for name, tree in sources():
        if name == "qihub/core/lists.py":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "TemplateColumn"
                and isinstance(node.value, ast.Name)
                and node.value.id in {"tables", "django_tables2"}
            ):
                offenders.append(f"{name}:{node.lineno}")
            if (
                isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("django_tables2")
                and any(alias.name == "TemplateColumn" for alias in node.names)
            ):
                offenders.append(f"{name}:{node.lineno}")
    assert not offenders, (
        "use `from qihub.core.lists import TemplateColumn` instead of django-tables2's: "
        + ", ".join(offenders)
    )
