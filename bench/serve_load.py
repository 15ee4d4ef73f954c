"""Load benchmark: latency of the claim list under 20 concurrent clients, per server.

Sets up a throw-away database (SQLite unless DATABASE_URL says otherwise) with the seeds,
starts the server (gunicorn with make serve's config, or runserver for comparison), and
has CLIENTS threads each fetch the claim list REQUESTS times with a token. Prints
p50/p95/p99 and throughput.

    .venv/bin/python bench/serve_load.py [--server gunicorn|runserver] [--clients 20]
"""

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per client")
    parser.add_argument("--path", default="/api/v1/claims/?page_size=50")
    args = parser.parse_args()

    var = tempfile.mkdtemp()
    port = free_port()
    env = {
        **os.environ,
        "FACTCHECK_VAR_DIR": var,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "warning",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{var}/bench.sqlite3")
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_seeds")
    manage(env, "create_demo_account")
    token = manage(env, "drf_create_token", "demo").split()[2]

    if args.server == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "--config", "factcheck/gunicorn.conf.py"]
    else:
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}{args.path}"

    def fetch() -> float:
        request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            assert response.status == 200
        return time.perf_counter() - began

    try:
        for _ in range(300):
            try:
                fetch()
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(10):
            fetch()  # warm every worker
        began = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            timings = sorted(pool.map(lambda _: fetch(), range(args.clients * args.requests)))
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)

    cuts = statistics.quantiles(timings, n=100)
    workers = env.get("WORKERS") or f"{2 * os.cpu_count() + 1} (default)"
    print(
        f"{args.server} ({'workers ' + workers if args.server == 'gunicorn' else 'threaded'}), "
        f"{args.clients} clients, {len(timings)} requests of {args.path}: "
        f"p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms, "
        f"p99 {cuts[98] * 1000:.0f} ms, "
        f"{len(timings) / elapsed:.1f} requests/s"
    )


if __name__ == "__main__":
    main()
