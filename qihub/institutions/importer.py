"""Import institutions from JSON Lines (one object per line), upserted by USCC.

Each line: {"name", "uscc", "region", "address", "phone", "categories": [codes],
"qualifications": [{"type", "number", "valid_until": "YYYY-MM-DD",
"scope": [{"category", "object", "parameter", "standard"}]}]}.
A file with any invalid line imports nothing unless the caller skips invalid lines.
"""

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qihub.accounts.identifiers import InvalidIdentifier, validate_uscc
from qihub.accounts.models import MemberKind, Organisation, Role, User
from qihub.catalog.models import Category
from qihub.institutions.index import reindex
from qihub.institutions.models import Qualification, QualificationType, ScopeLine

SAVE_BATCH = 25


@dataclass
class Report:
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _text(
    row: dict, key: str, where: str, errors: list[str], *, required: bool = False, limit: int = 200
) -> str:
    value = row.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(f"{where}：{key} 应为文字")
        return ""
    value = value.strip()
    if required and not value:
        errors.append(f"{where}：缺少 {key}")
    if len(value) > limit:
        errors.append(f"{where}：{key} 超过 {limit} 个字符")
    return value


def validate_row(number: int, line: str, label: str = "") -> tuple[dict | None, list[str]]:
    where = label or f"第 {number} 行"
    errors: list[str] = []
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, [f"{where}：不是有效的 JSON（{exc.msg}，第 {exc.colno} 列）"]
    if not isinstance(row, dict):
        return None, [f"{where}：应为 JSON 对象"]
    clean = {
        "name": _text(row, "name", where, errors, required=True),
        "address": _text(row, "address", where, errors, limit=300),
        "phone": _text(row, "phone", where, errors, limit=30),
        "region": _text(row, "region", where, errors, limit=6),
    }
    try:
        clean["uscc"] = validate_uscc(str(row.get("uscc", "")))
    except InvalidIdentifier as exc:
        errors.append(f"{where}：uscc {exc}")
    if clean["region"] and not (clean["region"].isdigit() and len(clean["region"]) == 6):
        errors.append(f"{where}：region 应为 6 位行政区划代码")
    categories = row.get("categories", [])
    if not isinstance(categories, list) or any(c not in Category.values for c in categories):
        errors.append(f"{where}：categories 应为 {', '.join(Category.values)} 中的代码列表")
        categories = []
    clean["categories"] = categories
    clean["qualifications"] = []
    qualifications = row.get("qualifications", [])
    if not isinstance(qualifications, list):
        errors.append(f"{where}：qualifications 应为列表")
        qualifications = []
    for index, q in enumerate(qualifications, 1):
        at = f"{where} 第 {index} 项资质"
        if not isinstance(q, dict):
            errors.append(f"{at}：应为 JSON 对象")
            continue
        if q.get("type") not in QualificationType.values:
            errors.append(f"{at}：type 应为 {'|'.join(QualificationType.values)}")
        number_ = _text(q, "number", at, errors, required=True, limit=80)
        try:
            valid_until = dt.date.fromisoformat(str(q.get("valid_until", "")))
        except ValueError:
            errors.append(f"{at}：valid_until 应为 YYYY-MM-DD 日期")
            valid_until = None
        scope = []
        for s_index, line_ in enumerate(
            q.get("scope", []) if isinstance(q.get("scope", []), list) else [], 1
        ):
            s_at = f"{at} 第 {s_index} 条能力范围"
            if not isinstance(line_, dict) or line_.get("category") not in Category.values:
                errors.append(f"{s_at}：category 应为服务分类代码")
                continue
            scope.append(
                {
                    "category": line_["category"],
                    "object": _text(line_, "object", s_at, errors, required=True),
                    "parameter": _text(line_, "parameter", s_at, errors),
                    "standard": _text(line_, "standard", s_at, errors),
                }
            )
        clean["qualifications"].append(
            {"type": q.get("type"), "number": number_, "valid_until": valid_until, "scope": scope}
        )
    return (None if errors else clean), errors


def _save(row: dict) -> bool:
    """Create or update one institution; True when it was new."""
    organisation = Organisation.objects.filter(uscc=row["uscc"]).first()
    created = organisation is None
    if created:
        # Imported institutions are verified by the importing staff; the account is claimed later.
        account = User.objects.create_user(
            username=f"inst_{row['uscc'].lower()}",
            role=Role.INSTITUTION,
            is_active=False,
            display_name=row["name"],
            verified_at=timezone.now(),
        )
        account.set_unusable_password()
        account.save(update_fields=["password"])
        organisation = Organisation(
            account=account,
            kind=MemberKind.INSTITUTION,
            uscc=row["uscc"],
            legal_representative="",
            contact_name="",
        )
    for key in ("name", "address", "phone", "region", "categories"):
        setattr(organisation, key, row[key])
    organisation.save()
    organisation.scope_lines.all().delete()
    organisation.qualifications.all().delete()
    for q in row["qualifications"]:
        qualification = Qualification.objects.create(
            organisation=organisation,
            type=q["type"],
            number=q["number"],
            valid_until=q["valid_until"],
        )
        # Each imported line gets its first version (ARC-2), still in one insert per table.
        bulk_create_with_history(
            [
                ScopeLine(organisation=organisation, qualification=qualification, limits="", **s)
                for s in q["scope"]
            ],
            ScopeLine,
        )
    reindex(organisation)
    return created


def import_lines(
    lines: Iterable[str | tuple[str, str]],
    *,
    skip_invalid: bool,
    progress: Callable[[int], None] | None = None,
    validated: Callable[[int], None] | None = None,
) -> Report:
    """Lines are JSON text, or (label, JSON text) when the rows came from elsewhere (a workbook)
    and errors should name that place. `validated` gets the number of rows about to be saved."""
    report = Report()
    valid: list[dict] = []
    for number, item in enumerate(lines, 1):
        label, line = item if isinstance(item, tuple) else ("", item)
        if not line.strip():
            continue
        report.total += 1
        row, errors = validate_row(number, line, label)
        report.errors += errors
        if row is not None:
            valid.append(row)
    if report.errors and not skip_invalid:
        return report
    if validated:
        validated(len(valid))
    # Saved in batches: progress is visible to others between batches and the database is
    # never locked for the whole file. Every row was validated first; a re-run is an upsert.
    for start in range(0, len(valid), SAVE_BATCH):
        with transaction.atomic():
            for row in valid[start : start + SAVE_BATCH]:
                if _save(row):
                    report.created += 1
                else:
                    report.updated += 1
        if progress:
            progress(min(start + SAVE_BATCH, len(valid)))
    return report
