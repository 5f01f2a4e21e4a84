"""Embedded mode on every core: requests/s at saturation of `qihub serve` with one waitress
process (`--workers 0`, before) and with gunicorn, one process per core (the default, after),
on `/` and on the baseline page `/bench/baseline/` (base template, no queries).

    QIHUB_DATA_DIR=var/bench python bench/serve_cores.py [--seconds 15] [--clients 16]

The data directory must be migrated and seeded (`qihub migrate && qihub seed-demo`). Each
figure is also printed as a ratio to the baseline page of the same server in the same run: the
machine is shared and noisy, absolute figures are not comparable between runs.
"""

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

PAGES = ["/bench/baseline/", "/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(workers: int, port: int) -> subprocess.Popen:
    env = {**os.environ, "QIHUB_BENCH_BASELINE": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "qihub", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/baseline/", timeout=5):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.5)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("server did not start")


def saturate(port: int, path: str, seconds: float, clients: int) -> tuple[float, int]:
    """Closed loop: `clients` keep-alive connections, each sending its next request when the
    previous answer arrives. Returns (requests/s, errors)."""
    done = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    done[i] += 1
                else:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - began), sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"load before: {os.getloadavg()[0]:.1f}  cores: {cores}")
    results: dict[str, dict[str, tuple[float, int]]] = {}
    for label, workers in (("1 waitress process", 0), (f"gunicorn {cores} processes", cores)):
        port = free_port()
        server = start(workers, port)
        try:
            for path in PAGES:
                saturate(port, path, 2, args.clients)  # warm every process
            results[label] = {p: saturate(port, p, args.seconds, args.clients) for p in PAGES}
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    first_label = next(iter(results))
    print(f"{'server':24} {'page':18} {'req/s':>8} {'errors':>6} {'÷baseline':>9} {'÷before':>8}")
    for label, figures in results.items():
        for path, (rate, errors) in figures.items():
            baseline = figures["/bench/baseline/"][0]
            before = results[first_label][path][0]
            print(
                f"{label:24} {path:18} {rate:8.1f} {errors:6d} "
                f"{rate / baseline:9.2f} {rate / before:8.2f}"
            )
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
