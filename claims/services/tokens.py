"""API tokens."""

from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def token_revoke(*, owner) -> bool:
    """Delete ``owner``'s API token; whoever holds it is refused from the next request.
    Returns whether there was one (revoking twice is not an error)."""
    deleted, _ = Token.objects.filter(user=owner).delete()
    return bool(deleted)
