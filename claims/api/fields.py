"""DRF fields whose error messages quote at most an excerpt of what was sent.

DRF's own messages echo the input whole ('"…" is not a valid choice.'); a 100,000-character
value would come straight back, and into any log of the response.
"""

from rest_framework import serializers

from claims.text.excerpts import excerpt


class ShortEcho:
    def fail(self, key, **kwargs):
        return super().fail(key, **{name: excerpt(value) for name, value in kwargs.items()})


class ChoiceField(ShortEcho, serializers.ChoiceField):
    pass


class SlugRelatedField(ShortEcho, serializers.SlugRelatedField):
    pass
