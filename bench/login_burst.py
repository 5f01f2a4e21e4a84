"""Memory and time of a burst of concurrent log-ins' password checks (issue 23, item 5).

Each variant runs in a fresh Python process (so its peak RSS is its own): N threads verify a
password at once. The baseline, in the same run, is Django's stock Argon2 hasher (100 MiB per
hash, no bound), which is what the platform used before.

    .venv/bin/python bench/login_burst.py [--burst 20]
"""

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, os, resource, sys, threading, time
import django
from django.conf import settings
settings.configure(PASSWORD_HASHERS=[sys.argv[1]], INSTALLED_APPS=[])
django.setup()
from django.contrib.auth.hashers import get_hasher
hasher = get_hasher()
encoded = hasher.encode("Quality-2026", hasher.salt())
start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
burst = int(sys.argv[2])
barrier = threading.Barrier(burst)
times = []
def one():
    barrier.wait()
    t = time.perf_counter()
    assert hasher.verify("Quality-2026", encoded)
    times.append(time.perf_counter() - t)
threads = [threading.Thread(target=one) for _ in range(burst)]
t0 = time.perf_counter()
for th in threads: th.start()
for th in threads: th.join()
wall = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_mb": peak / 1024, "added_mb": (peak - start_rss) / 1024,
                  "wall_s": wall, "max_one_s": max(times)}))
"""

VARIANTS = [
    ("Django 默认 Argon2（基线）", "django.contrib.auth.hashers.Argon2PasswordHasher"),
    ("qihub BoundedArgon2", "qihub.accounts.hashers.BoundedArgon2PasswordHasher"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", type=int, default=20)
    args = parser.parse_args()
    results = {}
    for label, path in VARIANTS:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, path, str(args.burst)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[label] = json.loads(out.stdout)
    base = results[VARIANTS[0][0]]
    print(f"{args.burst} concurrent password checks, one process each")
    print(
        f"{'variant':34} {'peak MB':>8} {'added MB':>9} {'wall s':>7} {'slowest s':>9} {'mem ×':>6}"
    )
    for label, r in results.items():
        ratio = r["added_mb"] / base["added_mb"] if base["added_mb"] else float("nan")
        print(
            f"{label:34} {r['peak_mb']:8.0f} {r['added_mb']:9.0f} {r['wall_s']:7.2f}"
            f" {r['max_one_s']:9.2f} {ratio:6.2f}"
        )


if __name__ == "__main__":
    main()
