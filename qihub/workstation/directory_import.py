"""Directory entries from a spreadsheet (BIO-8): one workbook per directory, its columns the
entry form's fields, each row checked by that same form, nothing saved unless every row is right."""

import io
from typing import Any

from django import forms
from django.db import transaction
from openpyxl import Workbook

from qihub.core.sheets import SheetRejected, limited_rows, open_book

LIMIT = 501


def _labels(form_class: type[forms.ModelForm]) -> list[tuple[str, str]]:
    return [(name, str(field.label)) for name, field in form_class().fields.items()]


def template(form_class: type[forms.ModelForm], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([label for _, label in _labels(form_class)])
    for index in range(len(_labels(form_class))):
        sheet.column_dimensions[chr(ord("A") + index)].width = 24
    notes = book.create_sheet("填写说明")
    notes.append(["一行一条；带多项的格子（专业、产品与服务）在格内换行或用顿号分隔。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    return "\n".join(p.strip() for p in text.replace("、", "\n").splitlines() if p.strip())


def read(form_class: type[forms.ModelForm], data: bytes) -> tuple[list[forms.ModelForm], list[str]]:
    """(valid forms ready to save, errors "第 N 行：…")."""
    book = open_book(data, "Excel 文件：无法读取，请使用平台提供的名录模板（.xlsx）")
    sheet = book.worksheets[0]
    labels = _labels(form_class)
    valid: list[forms.ModelForm] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, values in limited_rows(sheet, limit=LIMIT, what="Excel 文件"):
        cells = list(values[: len(labels)]) + [None] * (len(labels) - len(values))
        if number == 1:
            if [str(c or "").strip() for c in cells] != [label for _, label in labels]:
                raise SheetRejected("Excel 文件：表头与模板不符，请下载模板后填写")
            continue
        if all(_text(c) == "" for c in cells):
            continue
        row = {name: _text(cell) for (name, _), cell in zip(labels, cells, strict=True)}
        form = form_class(row)
        problems = [str(e) for field_errors in form.errors.values() for e in field_errors]
        key = row[labels[0][0]]
        if key and key in seen:
            problems.append(f"{labels[0][1]}：与前面的行重复")
        seen.add(key)
        if problems:
            errors.append(f"第 {number} 行：" + "；".join(problems))
        else:
            valid.append(form)
    if not valid and not errors:
        errors.append("Excel 文件：没有数据行")
    return valid, errors


def save(valid: list[forms.ModelForm]) -> int:
    with transaction.atomic():
        for form in valid:
            form.save()
    return len(valid)
