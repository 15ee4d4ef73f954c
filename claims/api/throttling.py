"""Password guessing: how fast one client may try credentials at the token endpoint.

django-axes locks a username after repeated failures (admin login and token endpoint
alike); this throttle caps how many attempts one address makes at all. Both count by the
client address ``client_ip`` finds, so they agree behind a reverse proxy.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind FACTCHECK_PROXY_COUNT proxies, the
    address the outermost of them put in X-Forwarded-For (entries before it are whatever
    the client chose to send, so they are never trusted)."""
    proxies = settings.FACTCHECK_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


class TokenRequestThrottle(AnonRateThrottle):
    """Anonymous requests for a token, per client address, at FACTCHECK_TOKEN_RATE."""

    scope = "auth-token"

    def get_rate(self) -> str:
        # Read when asked, not when the class is made, so a deployment (or a test) sets it.
        return settings.FACTCHECK_TOKEN_RATE

    def get_ident(self, request) -> str:
        return client_ip(request)
