"""CPU per request of three pages with the in-memory cache and with the shared database cache
(qihub.core.cache), in one process with the test client; the search rate limit is on, so every
search also increments a counter. Best of two rounds of 30 requests.

    QIHUB_DATA_DIR=var/bench python bench/cache_cost.py   (a migrated, seeded data directory)
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASE = {
    "default": {
        "BACKEND": "qihub.core.cache.DatabaseCache",
        "LOCATION": "qihub_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
PAGES = ["/", "/search/?q=检测", "/statistics/"]


def main() -> None:
    print(f"load {os.getloadavg()[0]:.1f}")
    results: dict[tuple[str, str], list[float]] = {}
    rates = {**settings.QIHUB_RATES, "search": "100000/h"}
    for _ in range(2):
        for name, caches in (("locmem", LOCMEM), ("database", DATABASE)):
            with override_settings(CACHES=caches, QIHUB_RATES=rates):
                client = Client(HTTP_HOST="127.0.0.1")
                for path in PAGES:
                    for _ in range(3):
                        client.get(path)
                    began = time.process_time()
                    for _ in range(30):
                        assert client.get(path).status_code == 200
                    used = (time.process_time() - began) / 30 * 1000
                    results.setdefault((name, path), []).append(used)
    for (name, path), used in results.items():
        print(f"{name:9} {path:18} CPU ms/request {min(used):.1f}")


if __name__ == "__main__":
    main()
