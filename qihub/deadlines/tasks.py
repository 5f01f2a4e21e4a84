from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qihub.deadlines.workflow import sweep


@db_periodic_task(crontab(minute="*/5"))
def sweep_clocks() -> None:
    from qihub.ops.monitoring import SWEEP, beat

    sweep()
    beat(SWEEP)  # the health page and /metrics show when the sweep last ran
