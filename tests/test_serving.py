"""``make serve``'s gunicorn starts with the project's config and answers requests."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_api_with_the_project_config(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": "1",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FACTCHECK_VAR_DIR": str(tmp_path),
        # The API root refuses an anonymous caller before touching a database.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "factcheck/gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Generous: on a loaded machine a worker takes a while to import Django.
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, server.stderr.read().decode()
            try:
                status, headers, body = get(f"http://127.0.0.1:{port}/api/v1/")
                break
            except OSError:  # refused while starting, or timed out while a worker boots
                assert time.monotonic() < deadline, "gunicorn did not answer in three minutes"
                time.sleep(0.2)
        assert status == 401
        assert "Authentication credentials were not provided" in json.loads(body)["detail"]
        assert headers["X-Frame-Options"] == "DENY"  # Django's middleware ran
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_master_freezes_the_loaded_app_out_of_the_workers_garbage_collection(tmp_path):
    """A worker's full collection walked every object of the preloaded app (120-190 ms
    pauses under load); the config freezes them in the master, before the first fork."""
    script = (
        "import gc, runpy, django\n"
        "config = runpy.run_path('factcheck/gunicorn.conf.py')\n"
        "assert not gc.isenabled(), 'collecting while the master imports the app'\n"
        "django.setup()\n"
        "before = gc.get_freeze_count()\n"
        "config['when_ready'](None)\n"
        "print(before, gc.get_freeze_count(), gc.isenabled())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FACTCHECK_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    before, frozen, enabled = done.stdout.split()
    assert before == "0"
    assert int(frozen) > 50_000  # Django, DRF and the app: all of it
    assert enabled == "True"  # the workers collect what they make themselves
