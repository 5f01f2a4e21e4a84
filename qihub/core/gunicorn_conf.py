"""gunicorn settings of `qihub serve` (loaded with `-c python:qihub.core.gunicorn_conf`).

Every worker process offers to run the embedded background consumer when `qihub serve` asks
(QIHUB_SERVE_CONSUMER=1: no Redis, not --no-background); a file lock lets exactly one of them
do it (qihub.core.background).
"""

import os


def post_worker_init(worker: object) -> None:
    if os.environ.get("QIHUB_SERVE_CONSUMER") == "1":
        from qihub.core import background

        background.consume_when_elected()
