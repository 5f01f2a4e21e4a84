"""House rules that code review alone would let slip."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
WRITES_STATUS = re.compile(r"\.(state|status)\s*=(?!=)|\.update\([^)]*\b(state|status)\s*=")


def test_only_workflow_modules_write_a_status():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if path.name == "workflow.py" or {"tests", "migrations"} & set(relative.parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITES_STATUS.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")

    assert offenders == []


def test_ruff_format_decides_every_layout():
    """No formatter exemption comments (fmt skip or off): a hand-kept layout drifts from the formatter's and hides
    diffs. The repository's own Python (package, benches, scripts, tests) is checked."""
    root = PACKAGE.parent
    exempt = re.compile(r"#\s*fmt:\s*(skip|off)")
    paths = [
        *PACKAGE.rglob("*.py"),
        *(root / "bench").rglob("*.py"),
        *(root / "scripts").rglob("*.py"),
        *(root / "tests").rglob("*.py"),
        root / "conftest.py",
    ]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in paths
        if path.exists() and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if exempt.search(line)
    ]

    assert offenders == []
