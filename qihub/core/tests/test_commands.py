import io
import os
import subprocess
import sys
import textwrap

from django.core.management import call_command

from qihub.accounts.models import Role, User
from qihub.core import traceability
from qihub.core.management.commands.trace import requirements_file


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_seed_demo_creates_every_role_once_and_keeps_existing_data(db):
    first = run("seed-demo")
    User.objects.filter(username="demo_enterprise").update(display_name="用户自己改过的名称")

    second = run("seed-demo")

    assert "新建 10 个账户" in first and "新建 0 个账户" in second
    assert set(User.objects.filter(is_demo=True).values_list("role", flat=True)) == set(Role)
    assert User.objects.get(username="demo_enterprise").display_name == "用户自己改过的名称"
    assert all(
        "【演示】" in u.display_name
        for u in User.objects.filter(is_demo=True)
        if u.username != "demo_enterprise"
    )
    for role in Role:
        assert role.label in second


def test_trace_prints_one_row_per_requirement_and_the_coverage_line(db):
    out = run("trace")

    lines = out.splitlines()
    catalogue = traceability.parse_requirements(requirements_file().read_text(encoding="utf-8"))
    assert lines[-1].startswith("covered: ") and lines[-1].endswith(f" of {len(catalogue)}")
    assert len(catalogue) >= 80
    # One row per requirement of the catalogue, whatever its size.
    for requirement in catalogue:
        assert any(line.startswith(requirement.id + " ") for line in lines), requirement.id


def _trace_strict(tmp_path, reports: str, requirements: str) -> subprocess.CompletedProcess:
    results = tmp_path / "results"
    results.mkdir()
    if reports:
        (results / "junit-x.xml").write_text(reports, encoding="utf-8")
    catalogue = tmp_path / "requirements.md"
    catalogue.write_text(requirements, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "qihub", "trace", "--strict", "--results", str(results)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "QIHUB_REQUIREMENTS": str(catalogue)},
    )


def test_trace_strict_exits_non_zero_while_requirements_lack_passing_tests(tmp_path):
    # No test run recorded: every requirement is "not run", whatever the real suite holds.
    result = _trace_strict(tmp_path, "", "| OPS-5 | 金融服务 | s |\n| ZZZ-1 | 无测试 | s |\n")

    assert result.returncode == 1
    assert "covered: 0 of 2" in result.stdout
    assert "2 条需求没有通过的测试" in result.stderr


def test_trace_strict_exits_zero_once_every_requirement_has_a_passing_test(tmp_path):
    # A real marked test of OPS-5, recorded as passed in a JUnit report pytest would write.
    test_id = next(t for t in run_collect()["OPS-5"] if t.count("::") == 1)
    module, name = test_id.split("::")
    report = f"""<testsuites><testsuite>
        <testcase classname="{module}" name="{name}"/>
    </testsuite></testsuites>"""

    result = _trace_strict(tmp_path, report, "| OPS-5 | 金融服务 | s |\n")

    assert result.returncode == 0, result.stderr
    assert "OPS-5    passed" in result.stdout
    assert "covered: 1 of 1" in result.stdout


def run_collect() -> dict[str, list[str]]:
    from qihub.core.management.commands.trace import PROJECT_ROOT

    return traceability.collect_marked_tests(
        PROJECT_ROOT, sorted(PROJECT_ROOT.glob("qihub/**/tests/test_*.py"))
    )


def test_trace_matrix_counts_passed_failed_not_run_and_missing(tmp_path):
    tests_dir = tmp_path / "pkg" / "tests"
    tests_dir.mkdir(parents=True)
    test_file = tests_dir / "test_x.py"
    test_file.write_text(
        textwrap.dedent("""
        import pytest

        @pytest.mark.req("A-1")
        def test_ok(): ...

        @pytest.mark.req("A-2")
        class TestGroup:
            @pytest.mark.parametrize("n", [1, 2])
            def test_param(self, n): ...

        @pytest.mark.req("A-3")
        def test_never_ran(): ...
    """)
    )
    report = tmp_path / "junit-x.xml"
    report.write_text("""<testsuites><testsuite>
        <testcase classname="pkg.tests.test_x" name="test_ok"/>
        <testcase classname="pkg.tests.test_x.TestGroup" name="test_param[1]"/>
        <testcase classname="pkg.tests.test_x.TestGroup" name="test_param[2]">
          <failure message="boom"/></testcase>
    </testsuite></testsuites>""")
    requirements = traceability.parse_requirements(
        "| A-1 | one | s |\n| A-2 | two | s |\n| A-3 | three | s |\n| A-4 | four | s |\n"
    )

    rows = traceability.build_matrix(
        requirements,
        traceability.collect_marked_tests(tmp_path, [test_file]),
        traceability.read_results([report]),
    )

    assert [row.status for row in rows] == ["passed", "failed", "not run", "missing"]
    assert rows[1].tests == ["pkg.tests.test_x::TestGroup::test_param"]


def test_demo_members_are_registered_and_approved_through_the_real_flow(client, db):
    run("seed-demo")

    institutions = [row["name"] for row in client.get("/api/v1/institutions").json()]
    approved = User.objects.filter(is_demo=True, applications__status="approved")

    assert institutions == ["江南计量检测研究院（演示）", "滨湖质量认证中心（演示）"]
    assert set(approved.values_list("role", flat=True)) == {
        "individual",
        "enterprise",
        "institution",
    }
    assert approved.count() == 5


def test_workflows_prints_every_table_with_who_may_act(db):
    out = run("workflows")

    assert "服务需求（demands.Demand）" in out
    demands = out.split("服务需求（demands.Demand）")[1]
    respond = next(line for line in demands.splitlines() if line.strip().startswith("respond "))
    assert "published → responded" in respond and "操作人：is_handler" in respond
    dot = run("workflows", "--dot")
    assert 'digraph "demands.Demand"' in dot and '"published" -> "responded"' in dot
