"""The requirement matrix: IDs from the catalogue, tests marked with them, last run's results.

Tests are found by reading the test files (a `@pytest.mark.req("ID")` decorator on a test
function or class, or a module-level `pytestmark`), so `qihub trace` needs no test run of its
own; results come from the JUnit XML files that `make test` writes.
"""

import ast
import re
import xml.etree.ElementTree as ET  # noqa: S405 - reads our own test reports
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REQUIREMENT_ROW = re.compile(r"^\|\s*([A-Z]+-\d+)\s*\|\s*([^|]+?)\s*\|")


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str


@dataclass
class Row:
    requirement: Requirement
    tests: list[str] = field(default_factory=list)
    passed: int = 0
    failed: int = 0

    @property
    def status(self) -> str:
        if not self.tests:
            return "missing"
        if self.failed:
            return "failed"
        if self.passed:
            return "passed"
        return "not run"


def parse_requirements(text: str) -> list[Requirement]:
    found: dict[str, Requirement] = {}
    for line in text.splitlines():
        match = REQUIREMENT_ROW.match(line)
        if match and match.group(1) not in found:
            found[match.group(1)] = Requirement(match.group(1), match.group(2))
    return list(found.values())


def _req_ids(decorators: list[ast.expr]) -> list[str]:
    ids = []
    for node in decorators:
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "req"
            ):
                ids += [a.value for a in call.args if isinstance(a, ast.Constant)]
    return ids


def collect_marked_tests(root: Path, test_files: list[Path]) -> dict[str, list[str]]:
    """Map requirement ID → test ids (`dotted.module::Class::test_name`)."""
    marked: dict[str, list[str]] = defaultdict(list)
    for path in test_files:
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module_ids: list[str] = []
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
            ):
                module_ids += _req_ids([node.value])

        def visit(body: list[ast.stmt], prefix: str, inherited: list[str]) -> None:
            for node in body:
                if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                    visit(
                        node.body,
                        f"{prefix}::{node.name}",
                        inherited + _req_ids(node.decorator_list),
                    )
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    if node.name.startswith("test"):
                        for req_id in dict.fromkeys(inherited + _req_ids(node.decorator_list)):
                            marked[req_id].append(f"{prefix}::{node.name}")

        visit(tree.body, module, module_ids)
    return marked


def read_results(report_files: list[Path]) -> dict[str, dict[str, int]]:
    """Map test id → counts of passed/failed outcomes over every report (parameters folded)."""
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: {"passed": 0, "failed": 0})
    for report in report_files:
        for case in ET.parse(report).iter("testcase"):  # noqa: S314
            classname = case.get("classname", "")
            name = case.get("name", "").split("[", 1)[0]
            # pytest writes "pkg.module.Class" as classname; rebuild our "module::Class" form.
            parts = classname.split(".")
            test_id = None
            for cut in range(len(parts), 0, -1):
                if not parts[cut - 1][:1].isupper():
                    test_id = ".".join(parts[:cut]) + "".join(f"::{p}" for p in parts[cut:])
                    break
            test_id = f"{test_id or classname}::{name}"
            if case.find("failure") is not None or case.find("error") is not None:
                outcomes[test_id]["failed"] += 1
            elif case.find("skipped") is None:
                outcomes[test_id]["passed"] += 1
    return outcomes


def build_matrix(
    requirements: list[Requirement],
    marked: dict[str, list[str]],
    results: dict[str, dict[str, int]],
) -> list[Row]:
    rows = []
    for requirement in requirements:
        row = Row(requirement, tests=sorted(marked.get(requirement.id, [])))
        for test_id in row.tests:
            row.passed += results.get(test_id, {}).get("passed", 0)
            row.failed += results.get(test_id, {}).get("failed", 0)
        rows.append(row)
    return rows


def unknown_ids(requirements: list[Requirement], marked: dict[str, list[str]]) -> list[str]:
    known = {r.id for r in requirements}
    return sorted(set(marked) - known)
