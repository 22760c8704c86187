"""Requests per second of the cached public pages, against a static file, through gunicorn.

    python bench/pages_bench.py [--duration 10] [--connections 16] [--workers 4] [--uncached]

Starts gunicorn itself on 127.0.0.1 (a free port) with production settings and the demo
directory, in a temporary SQLite database unless DATABASE_URL names one (migrated and loaded
here; REDIS_URL, when set, puts the cache in Redis). wrk then drives the home page, a province
page, an agency page, and the static file served by whitenoise from the same gunicorn whose
size is closest to theirs: the static file is the yardstick, since both go through gunicorn
and Django's WSGI handler but the static one stops at whitenoise. It prints the rates and their
ratio, never judges them, and stops gunicorn. `--uncached` measures again with the page cache
off. Needs wrk (`apt-get install wrk`).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "/",
    "province": "/tinh/tay-ninh/",
    "agency": "/tinh/tay-ninh/so-thong-tin-va-truyen-thong-tinh-long-an/",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )


def prepare(env):
    """Migrate and load the demo directory, collect the static files."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_divisions")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")


class Gunicorn:
    def __init__(self, env, workers):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group: stopped whole, and only it
        )

    def __enter__(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, (url, response.status)
        return response.read()


def closest_static_file(static_root, size):
    """The collected static file whose size is nearest `size` (originals only)."""
    files = [
        path
        for path in static_root.rglob("*")
        if path.is_file()
        and path.suffix not in {".gz", ".br", ".json"}
        and not re.search(r"\.[0-9a-f]{12}\.", path.name)  # manifest copies
    ]
    best = min(files, key=lambda path: abs(path.stat().st_size - size))
    return "/static/" + best.relative_to(static_root).as_posix(), best.stat().st_size


def wrk(url, seconds, args):
    """(requests, seconds, non-2xx responses) as wrk reports them."""
    result = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", result.stdout)
    scale = {"ms": 0.001, "s": 1, "m": 60}[done.group(3)]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
    return int(done.group(1)), float(done.group(2)) * scale, int(errors.group(1)) if errors else 0


def measure(env, args, static_root, label):
    """Every URL for `duration` seconds in all, in `rounds` interleaved slices (the order
    turning each round), so that a slow moment of the machine weighs on all of them alike."""
    with Gunicorn(env, args.workers) as server:
        sizes = {name: len(fetch(server.url + path)) for name, path in PAGES.items()}
        static_path, static_size = closest_static_file(
            static_root, sum(sizes.values()) // len(sizes)
        )
        static = f"static ({static_path})"
        targets = {**PAGES, static: static_path}
        sizes[static] = static_size
        for path in targets.values():  # every worker renders and keeps each page
            wrk(server.url + path, 1, args)
        totals = {name: [0, 0.0, 0] for name in targets}
        names = list(targets)
        slice_seconds = max(1, round(args.duration / args.rounds))
        for round_number in range(args.rounds):
            turn = round_number % len(names)
            for name in names[turn:] + names[:turn]:
                done = wrk(server.url + targets[name], slice_seconds, args)
                totals[name] = [
                    total + part for total, part in zip(totals[name], done, strict=True)
                ]
    rates = {name: requests / seconds for name, (requests, seconds, _e) in totals.items()}
    print(
        f"\n{label}: gunicorn {args.workers} sync workers; wrk -t{args.threads} "
        f"-c{args.connections}, {args.duration} s per URL in {args.rounds} interleaved rounds"
    )
    print(f"{'endpoint':<45} {'bytes':>7} {'req/s':>9} {'non-2xx':>8} {'÷ static':>9}")
    for name, rate in rates.items():
        print(
            f"{name:<45} {sizes[name]:>7} {rate:>9.0f} {totals[name][2]:>8} "
            f"{rate / rates[static]:>9.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (10)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved slices (5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--uncached", action="store_true", help="also measure without cache")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="danhba-pages-bench-") as scratch:
        scratch = Path(scratch)
        env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "SECRET_KEY": "pages-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(scratch / "static"),
            "DATABASE_URL": os.environ.get("DATABASE_URL")
            or f"sqlite:///{scratch / 'bench.sqlite3'}",
            "LOG_LEVEL": "WARNING",
        }
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = os.environ["REDIS_URL"]
            env["CACHE_KEY_PREFIX"] = f"danhba-bench-{os.getpid()}"
        print(
            f"database: {env['DATABASE_URL'].split('@')[-1]}; cache: "
            f"{'Redis' if 'REDIS_URL' in env else 'local memory, per worker'}"
        )
        prepare(env)
        static_root = scratch / "static"
        try:
            measure(env, args, static_root, "cached pages")
            if args.uncached:
                no_cache = {**env, "DIRECTORY_PAGE_CACHE_SECONDS": "0"}
                measure(no_cache, args, static_root, "no cache")
        finally:
            if "REDIS_URL" in env:
                forget_keys(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])


def forget_keys(url, prefix):
    """Delete the benchmark's keys from Redis, and nothing else."""
    import redis

    server = redis.Redis.from_url(url)
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)


if __name__ == "__main__":
    main()
