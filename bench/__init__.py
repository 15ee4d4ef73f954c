"""The benchmarks. Each script runs Django in its own scratch folder (FACTCHECK_VAR_DIR),
where no var/secret_key exists and the settings, which only read, make none: a benchmark
signs sessions with a key of its own run instead."""

import os
import secrets

os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(40))
