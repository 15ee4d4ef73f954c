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
