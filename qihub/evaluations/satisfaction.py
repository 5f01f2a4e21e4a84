"""The satisfaction model (EVAL-3, EVAL-4, EVAL-5; ADR 0008).

Seven indicators with weights (GB/T 19038 / GB/T 19039: a weighted indicator system, scores on a
five-point scale, index = weighted mean rescaled to 0–100). Sources: service evaluations by users
(one per order), user surveys, self-evaluations and third-party evaluations run by staff; the
combined index weighs the sources present.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from qihub.evaluations.models import Method


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    weight: float
    asks: str


MODEL: tuple[Indicator, ...] = (
    Indicator("process", "服务流程", 0.15, "办事流程是否清晰、环节是否简洁"),
    Indicator("norms", "服务规范", 0.10, "是否按公开的规范、标准和收费标准提供服务"),
    Indicator("efficiency", "服务效率", 0.20, "是否集中受理、按时办结"),
    Indicator("attitude", "服务态度", 0.15, "工作人员是否热情、耐心、文明"),
    Indicator("convenience", "平台便捷性", 0.10, "线上平台和线下站点办事是否方便"),
    Indicator("completeness", "平台完备性", 0.10, "服务资源和信息是否齐全"),
    Indicator("competence", "人员能力", 0.20, "工作人员和机构的专业能力是否胜任"),
)
BY_CODE = {indicator.code: indicator for indicator in MODEL}

# A service evaluation (five questions after an order) answers four of the seven indicators.
FROM_SERVICE_EVALUATION = {
    "process": "process",
    "timeliness": "efficiency",
    "attitude": "attitude",
    "competence": "competence",
}

# How much each source counts in the combined index (TZ 7.1.2 "多方评价相结合").
SOURCE_WEIGHTS: dict[str, float] = {Method.USER: 0.5, Method.THIRD_PARTY: 0.3, Method.SELF: 0.2}


class ScoreError(ValueError):
    pass


def check_scores(scores: Mapping[str, object]) -> dict[str, int]:
    """A questionnaire answers every indicator with 1–5; the message names the first bad one."""
    clean = {}
    for indicator in MODEL:
        value = scores.get(indicator.code)
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if not 1 <= number <= 5:
            raise ScoreError(f"{indicator.name}：请打 1–5 分")
        clean[indicator.code] = number
    return clean


@dataclass
class Tally:
    """Running sums of 1–5 scores per indicator."""

    sums: dict[str, float]
    counts: dict[str, int]
    responses: int = 0

    @classmethod
    def empty(cls) -> "Tally":
        return cls({i.code: 0.0 for i in MODEL}, {i.code: 0 for i in MODEL})

    def add(self, scores: Mapping[str, float], weight: int = 1) -> None:
        for code, value in scores.items():
            if code in self.sums and value is not None:
                self.sums[code] += value * weight
                self.counts[code] += weight
        self.responses += weight

    def means(self) -> dict[str, float]:
        return {code: self.sums[code] / n for code, n in self.counts.items() if n}

    def index(self) -> float | None:
        return index_of(self.means())


def index_of(means: Mapping[str, float]) -> float | None:
    """Weighted mean of the indicator means on 1–5, rescaled to 0–100; indicators without answers
    are left out and the other weights renormalised."""
    answered = [BY_CODE[code] for code in means if code in BY_CODE]
    total = sum(i.weight for i in answered)
    if not total:
        return None
    return round(100 * sum(i.weight * (means[i.code] - 1) / 4 for i in answered) / total, 1)


def with_measured_efficiency(tally: Tally, on_time_rate: float | None) -> Tally:
    """A copy of the users' tally in which efficiency counts their score and the measured on-time
    completion rate (0–1) half each (EVAL-4)."""
    blended = Tally(dict(tally.sums), dict(tally.counts), tally.responses)
    answers = tally.counts["efficiency"]
    if on_time_rate is not None and answers:
        felt = tally.sums["efficiency"] / answers
        blended.sums["efficiency"] = (felt + 1 + 4 * on_time_rate) / 2 * answers
    return blended


def combined_index(by_method: Mapping[str, float | None]) -> float | None:
    """The combined index of the sources that have one, by SOURCE_WEIGHTS renormalised."""
    present = {m: v for m, v in by_method.items() if v is not None}
    total = sum(SOURCE_WEIGHTS[m] for m in present)
    if not total:
        return None
    return round(sum(SOURCE_WEIGHTS[m] * v for m, v in present.items()) / total, 1)
