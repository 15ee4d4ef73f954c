"""The documented production settings pass Django's deployment checks, warnings included."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# The variables docs/deploying.md's "Running it for a newsroom" tells a deployment to set.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "factcheck.example.org",
    "FACTCHECK_SITE_URL": "https://factcheck.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://factcheck.example.org",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    given = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV
        and not key.startswith("SECURE_")
        # The browser tests set it for Playwright's loop in this process; no deployment does.
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **given,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FACTCHECK_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_documented_production_settings_pass_check_deploy(tmp_path):
    result = check_deploy(tmp_path, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_the_https_settings(tmp_path):
    without_https = {
        key: value
        for key, value in PRODUCTION_ENV.items()
        if key not in {"SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"}
    }
    result = check_deploy(tmp_path, **without_https)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # HSTS
    assert "security.W008" in result.stderr  # SSL redirect


def test_a_malformed_proxy_header_setting_stops_start_up_naming_it(tmp_path):
    result = check_deploy(tmp_path, **{**PRODUCTION_ENV, "SECURE_PROXY_SSL_HEADER": "https"})
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER='https': use HEADER,value" in result.stderr


def test_check_deploy_warns_when_the_exports_would_take_their_site_from_the_host_header(
    tmp_path,
):
    without_site = {k: v for k, v in PRODUCTION_ENV.items() if k != "FACTCHECK_SITE_URL"}
    result = check_deploy(tmp_path, **without_site)
    assert result.returncode != 0
    assert "claims.W001" in result.stderr
    assert "FACTCHECK_SITE_URL" in result.stderr
