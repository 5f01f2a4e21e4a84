"""The background queue behind one small facade: huey on SQLite in embedded mode (consumer
threads inside `qihub serve`), huey on Redis with `qihub worker` processes in scale mode.

`qihub serve` runs one process per core. Exactly one of them consumes the embedded queue: each
serving process waits for an exclusive lock on a file in the data directory, and whichever holds
it runs the consumer. The kernel drops the lock when that process ends, however it ends (even
kill -9), and the next waiting process takes over, so there is never none for long and never two.
"""

import fcntl
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import autodiscover_modules
from huey.consumer import Consumer

logger = logging.getLogger(__name__)
LOCK_NAME = "background-consumer.lock"


def queue() -> object:
    from huey.contrib.djhuey import HUEY

    return HUEY


def uses_redis() -> bool:
    return bool(settings.REDIS_URL)


class EmbeddedConsumer(Consumer):
    """huey's consumer without its signal handlers: the web server owns this process's
    signals, and a consumer started from a thread other than the main one may not set them."""

    def _set_signal_handlers(self) -> None:
        pass


def start_embedded_consumer(workers: int = 2) -> Consumer:
    """Run the consumer's worker and scheduler threads in this process; returns the consumer."""
    autodiscover_modules("tasks")
    consumer = EmbeddedConsumer(queue(), workers=workers, worker_type="thread", periodic=True)
    consumer.start()
    return consumer


def lock_path() -> Path:
    return Path(settings.DATA_DIR) / LOCK_NAME


def consume_when_elected(workers: int = 2) -> threading.Thread:
    """In a thread: wait for the consumer lock, then run the embedded consumer in this process
    for as long as it lives (the lock's file descriptor stays open with the thread)."""

    def wait_and_consume() -> None:
        handle = lock_path().open("a")
        fcntl.flock(handle, fcntl.LOCK_EX)  # blocks while another process consumes
        logger.info("后台任务：本进程开始处理队列")
        start_embedded_consumer(workers)
        threading.Event().wait()  # keep `handle` (and so the lock) until the process ends

    thread = threading.Thread(target=wait_and_consume, name="qihub-consumer-lock", daemon=True)
    thread.start()
    return thread
