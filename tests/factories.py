from pathlib import Path

import factory
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import services
from claims.models import Assignment, ErrorType, Source
from claims.roles import Role, add_roles

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "seeds/articles/blinken-beijing-2023.txt"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        """``groups=["reviewer"]``: each a role's name (claims.roles.Role)."""
        add_roles(self, *(Role(name) for name in names or []))
        self.save()


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://example.org/evidence/{n}")
    title = factory.Sequence(lambda n: f"Evidence {n}")
    publisher = "Example Wire"


def token_client(user=None) -> APIClient:
    """An API client that authenticates by token, as a real client would."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def article(text: str, title: str = "", **fields):
    return services.article_import(title=title, text=text, **fields).article


def assign(article, *reviewers) -> list[Assignment]:
    """Assign ``article`` to each reviewer (directly: tests of the rules use the services)."""
    return [Assignment.objects.get_or_create(article=article, reviewer=r)[0] for r in reviewers]


def submit(article, reviewer) -> Assignment:
    return services.assignment_submit(assign(article, reviewer)[0], by=reviewer)


def annotate(claim, reviewer, quote=None, slug="wrong-title", **fields):
    """Tag an error as ``reviewer``, assigning the article to them first if needed."""
    assign(claim.article, reviewer)
    return services.annotation_create(
        claim=claim,
        reviewer=reviewer,
        quote=quote,
        error_type=ErrorType.objects.get(slug=slug),
        **fields,
    )


def annotate_opening(claim, reviewer, length=5, **fields):
    """Tag the first ``length`` characters of a claim, by offsets."""
    return annotate(claim, reviewer, start=claim.start, end=claim.start + length, **fields)
