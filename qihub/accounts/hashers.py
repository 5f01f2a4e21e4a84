"""Password hashing that cannot run the server out of memory (issue 23).

Django's Argon2 default costs 100 MiB per hash: four concurrent log-ins took the embedded server
from 132 MB to 443 MB, so a burst of log-in POSTs was a cheap denial of service. We use OWASP's
first recommended Argon2id setting (19 MiB, 2 passes, 1 lane) and hash on a small pool of
threads of our own, so only a few hashes run at once and the rest wait their turn.

Why a pool and not only a semaphore: glibc keeps an allocator arena per thread that has
allocated, and after the first 19 MiB block is freed it raises its mmap threshold, so every
request thread that ever hashed would keep its own 19 MiB (measured: 20 request threads kept
285 MB with a semaphore). Hashing only on the pool's threads bounds that to the pool's size."""

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.contrib.auth.hashers import Argon2PasswordHasher

# Hashing is CPU-bound: more at once than there are cores only adds memory, not throughput.
MAX_CONCURRENT_HASHES = int(os.environ.get("QIHUB_MAX_CONCURRENT_HASHES", os.cpu_count() or 2))
_POOL = ThreadPoolExecutor(max_workers=MAX_CONCURRENT_HASHES, thread_name_prefix="password-hash")


class BoundedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (m=19 MiB, t=2, p=1), at most N hashes at a time.

    The algorithm name stays "argon2", so hashes made with Django's defaults still verify and
    are rewritten with these parameters at the next log-in (`must_update`)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

    def encode(self, password: str, salt: str) -> str:
        return _POOL.submit(super().encode, password, salt).result()

    def verify(self, password: str, encoded: str) -> bool:
        return _POOL.submit(super().verify, password, encoded).result()


# Log-ins waiting for a hash beyond this many are turned away at once rather than queued: each
# holds a request thread, and a queue of minutes helps nobody (issue 23).
MAX_WAITING_LOGINS = int(os.environ.get("QIHUB_MAX_WAITING_LOGINS", "16"))
_waiting = 0
_waiting_lock = threading.Lock()


@contextmanager
def login_slot() -> Iterator[bool]:
    """Yield whether this log-in may go ahead; release its place when it is done."""
    global _waiting
    with _waiting_lock:
        admitted = _waiting < MAX_WAITING_LOGINS
        if admitted:
            _waiting += 1
    try:
        yield admitted
    finally:
        if admitted:
            with _waiting_lock:
                _waiting -= 1
