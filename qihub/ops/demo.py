"""Demo data for the health page (OPS-1): the clock sweep has run, so the page shows a time.
Server errors are not faked: 错误查询 shows the real ones."""

from qihub.ops.monitoring import SWEEP, beat, last_beat


def furnish() -> None:
    if last_beat(SWEEP) is None:
        beat(SWEEP)
