"""gunicorn settings for ``make serve``, each from the environment.

gunicorn because it is the mature, boring choice for a WSGI Django app: pre-forked sync
workers, one request each, match Django's and psycopg's blocking model, and a worker that
dies or leaks is replaced without dropping the others' requests. (An ASGI server would buy
nothing: no view here is async.) TLS is ended by the reverse proxy in front, not here.
"""

import gc
import multiprocessing
import os

wsgi_app = "factcheck.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# gunicorn's rule of thumb: two workers a core, plus one to take a request while others wait.
workers = int(os.environ.get("WORKERS") or 2 * multiprocessing.cpu_count() + 1)
# A long transcript takes tens of seconds to split into claims; give it time to finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
# Django is imported once, in the master, and each worker is a fork of it: a replaced
# worker starts in milliseconds instead of spending a second of CPU importing Django
# while the others queue its share of requests (measured under bench/api_load.py's load),
# and the workers share those pages of memory. No connection is opened before the fork:
# Django connects on a worker's first query.
preload_app = True
# No garbage collection while the master imports the app: what it imports lives as long as
# the process, and collecting as it goes only scatters it over more memory pages.
gc.disable()


def when_ready(server):
    # In the master, after the app is loaded and before the first fork: every worker's
    # first request would otherwise import the views, the serializers and the admin.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (loading is the point)
    # The imported app (some 130,000 objects) moves out of the collector's reach: each
    # worker's full collection walked all of it, a pause of 120-190 ms in the middle of a
    # request under load (measured), the claim list's p99. It also stops the collector
    # writing to those pages, so workers keep sharing them with the master.
    gc.freeze()
    gc.enable()


# Only the proxy on this host may say a request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
