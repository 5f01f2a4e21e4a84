"""The background queue behind one small facade: huey on SQLite in embedded mode (consumer
threads inside `qihub serve`), huey on Redis with `qihub worker` processes in scale mode."""

import signal

from django.conf import settings
from django.utils.module_loading import autodiscover_modules


def queue() -> object:
    from huey.contrib.djhuey import HUEY

    return HUEY


def uses_redis() -> bool:
    return bool(settings.REDIS_URL)


def start_embedded_consumer(workers: int = 2) -> object:
    """Run the consumer's worker and scheduler threads in this process; returns the consumer."""
    autodiscover_modules("tasks")
    # huey installs its own SIGINT/SIGTERM handlers for a standalone consumer; the web server
    # owns this process's signals, so they are put back.
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = queue().create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.start()
    for signum, handler in saved.items():
        signal.signal(signum, handler)
    return consumer
