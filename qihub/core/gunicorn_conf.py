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


# gunicorn closes an idle connection after 2 s by default. Browsers and the load test's users
# come back after 1–3 s on the same connection and met a closing socket: 97 resets in a 2-minute
# scale-mode run, one of them an order saved but never acknowledged (bench/README.md, load
# test). Idle connections cost a gthread worker no thread, so keep them longer than a reverse
# proxy's usual 60 s idle timeout, letting the proxy close first.
keepalive = 75
