"""Start-up checks of settings whose shape Python's type helpers in settings.py cannot see."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def claimreview_ratings(app_configs, **kwargs):
    from claims.exports.claimreview import check_ratings  # needs the models loaded

    return [
        checks.Error(f"FACTCHECK_CLAIMREVIEW_RATINGS: {problem}", id="claims.E001")
        for problem in check_ratings(settings.FACTCHECK_CLAIMREVIEW_RATINGS)
    ]


@checks.register(checks.Tags.security)
def secret_key_present(app_configs, **kwargs):
    # Django itself only says "must not be empty", at the first request that signs something.
    try:
        settings.SECRET_KEY  # noqa: B018
        return []
    except ImproperlyConfigured:
        pass
    return [
        checks.Error(
            "No SECRET_KEY: neither the environment variable nor var/secret_key is set.",
            hint="On a laptop run `manage.py create_local_secret` (make run does); in "
            "production set SECRET_KEY in the environment.",
            id="claims.E002",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def site_url_set(app_configs, **kwargs):
    # Unset, the exports' addresses come from each request's Host (checked against
    # ALLOWED_HOSTS only): fine on a laptop, not for ids that others store and publish.
    if settings.FACTCHECK_SITE_URL:
        return []
    return [
        checks.Warning(
            "FACTCHECK_SITE_URL is not set: the ids and urls of the w3c and claimreview "
            "exports are made from each request's Host header.",
            hint="Set FACTCHECK_SITE_URL to where the app is reached, e.g. "
            "https://factcheck.example.org.",
            id="claims.W001",
        )
    ]
