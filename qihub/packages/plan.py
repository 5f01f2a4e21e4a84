"""The plan's figures (DEM-12), computed and never stored: what each recognition would cost if
ordered on its own (the tests it needs, each paid again), what the package costs (each test once)
and the saving; and which recognitions the issued reports already cover."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from qihub.packages.models import Package, PackageLine, Recognition


@dataclass
class RecognitionRow:
    recognition: Recognition
    lines: list[PackageLine] = field(default_factory=list)
    separate: Decimal = Decimal("0.00")
    covered: bool = False  # every test it needs has an issued report
    reports: list[str] = field(default_factory=list)


@dataclass
class Figures:
    rows: list[RecognitionRow]
    separate: Decimal
    package: Decimal
    saving: Decimal
    saving_percent: Decimal
    shared_lines: int  # tests whose one result serves two recognitions or more


def figures(package: Package) -> Figures:
    lines = list(
        package.lines.select_related("service__organisation", "order__report").prefetch_related(
            "recognitions"
        )
    )
    rows = []
    for recognition in package.recognitions.all():
        serving = [ln for ln in lines if recognition in ln.recognitions.all()]
        reports = [ln.report().number for ln in serving if ln.report() is not None]
        rows.append(
            RecognitionRow(
                recognition,
                serving,
                sum((ln.price for ln in serving), Decimal("0.00")),
                covered=bool(serving) and len(reports) == len(serving),
                reports=reports,
            )
        )
    separate = sum((r.separate for r in rows), Decimal("0.00"))
    total = sum((ln.price for ln in lines), Decimal("0.00"))
    saving = max(separate - total, Decimal("0.00"))
    percent = (
        (saving * 100 / separate).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if separate
        else Decimal("0.0")
    )
    shared = sum(1 for ln in lines if len(ln.recognitions.all()) >= 2)
    return Figures(rows, separate, total, saving, percent, shared)
