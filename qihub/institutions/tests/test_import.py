"""`qihub import institutions FILE.jsonl`: upsert by USCC, all or nothing unless told otherwise."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from qihub.accounts.models import Organisation
from qihub.onboarding.tests import helpers


def line(code: str, name: str, **extra) -> str:
    row = {
        "name": name,
        "uscc": helpers.uscc(code),
        "region": "320211",
        "address": "无锡市示例路 9 号",
        "phone": "0510-88888888",
        "categories": ["metrology"],
        "qualifications": [
            {
                "type": "LEGAL_METROLOGY",
                "number": "JL-2024-001",
                "valid_until": "2030-06-30",
                "scope": [
                    {
                        "category": "metrology",
                        "object": "压力表",
                        "parameter": "示值误差",
                        "standard": "JJG 52-2013",
                    }
                ],
            }
        ],
        **extra,
    }
    return json.dumps(row, ensure_ascii=False)


def run_import(tmp_path, lines, *flags):
    path = tmp_path / "institutions.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "institutions", str(path), *flags, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_then_updates_by_uscc_and_the_institutions_are_searchable(
    tmp_path, client, db
):
    first, _ = run_import(
        tmp_path, [line("12320211MB1QH0101", "锡山计量所"), line("12320211MB1QH0102", "惠山检测站")]
    )
    second, _ = run_import(tmp_path, [line("12320211MB1QH0101", "锡山区计量测试所")])

    assert "新增 2 家" in first and "更新 1 家" in second
    assert sorted(Organisation.objects.values_list("name", flat=True)) == [
        "惠山检测站",
        "锡山区计量测试所",
    ]
    found = client.get("/api/v1/institutions", {"q": "压力表"}).json()
    assert {row["name"] for row in found} == {"惠山检测站", "锡山区计量测试所"}
    assert client.get("/api/v1/institutions", {"q": "锡山"}).json()[0]["name"] == "锡山区计量测试所"


def test_a_file_with_bad_lines_imports_nothing_and_names_every_bad_line(tmp_path, db):
    lines = [
        line("12320211MB1QH0101", "锡山计量所"),
        "{not json",
        line("12320211MB1QH0102", "惠山检测站", region="32"),
        json.dumps({"name": "无代码"}),
        line(
            "12320211MB1QH0103",
            "坏资质",
            qualifications=[{"type": "ISO", "number": "", "valid_until": "2030-13-01"}],
        ),
    ]

    with pytest.raises(CommandError) as failed:
        run_import(tmp_path, lines)

    assert failed.value.returncode == 2 and "未导入任何数据" in str(failed.value)
    assert not Organisation.objects.exists()
    out = io.StringIO()
    path = tmp_path / "institutions.jsonl"
    with pytest.raises(CommandError):
        call_command("import", "institutions", str(path), stdout=io.StringIO(), stderr=out)
    report = out.getvalue()
    for expected in (
        "第 2 行：不是有效的 JSON",
        "第 3 行：region",
        "第 4 行：uscc",
        "第 5 行 第 1 项资质：type",
        "第 5 行 第 1 项资质：缺少 number",
        "第 5 行 第 1 项资质：valid_until",
    ):
        assert expected in report, expected


def test_skip_invalid_imports_the_valid_lines_only(tmp_path, db):
    out, err = run_import(
        tmp_path, [line("12320211MB1QH0101", "锡山计量所"), "{not json"], "--skip-invalid"
    )

    assert "新增 1 家" in out and "跳过 1 行" in out
    assert "第 2 行" in err
    assert list(Organisation.objects.values_list("name", flat=True)) == ["锡山计量所"]
