"""Start-up checks of settings whose shape Python's type helpers in settings.py cannot see."""

from django.conf import settings
from django.core import checks


@checks.register()
def claimreview_ratings(app_configs, **kwargs):
    from claims.exports.claimreview import check_ratings  # needs the models loaded

    return [
        checks.Error(f"FACTCHECK_CLAIMREVIEW_RATINGS: {problem}", id="claims.E001")
        for problem in check_ratings(settings.FACTCHECK_CLAIMREVIEW_RATINGS)
    ]
