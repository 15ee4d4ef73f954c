"""The OpenAPI schema tells the truth: schemathesis calls every operation it describes.

Each operation gets a bounded number of generated requests (valid and invalid by the
schema), sent through the WSGI app as an editor into a small world (the seed article
assigned to two reviewers, one review submitted, annotations, verdicts, a source), and
every response must be: no server error, a documented status code, the documented
content type, a body that matches the documented schema, and, for a request the schema
calls valid, not a refusal.

Generated ids rarely exist, so most path ids and the references inside request bodies are
swapped for ids of the world (chosen from the generated value, so that Hypothesis still
shrinks a failure to a small example); the rest stay random, and must be a documented 404
or 400.
"""

import json
import os
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from claims import services
from claims.models import Annotation, Assignment, ErrorType, Source, Verdict
from tests.factories import SEED_ARTICLE, UserFactory, article
from tests.module_world import world_per_module

# Bounded so that the suite stays fast, and derandomized so that CI runs the same
# requests every time. To explore further, ask for more (random) examples:
#   FACTCHECK_SCHEMA_EXAMPLES=200 pytest tests/api/test_schemathesis.py
EXPLORE = os.environ.get("FACTCHECK_SCHEMA_EXAMPLES")
EXAMPLES_PER_OPERATION = int(EXPLORE or 10)

# A request the schema calls valid may still be refused for what no JSON Schema can say:
# a span must lie in its claim and a quote occur in it once, credentials must be right, a
# revised text must differ from the stored ones, a posted web page must hold an article.
# Those operations may answer 400, but only naming these fields; anything else is a failure.
CONTENT_RULES = {
    ("POST", "/api/v1/annotations/"): {"start", "end", "quote", "non_field_errors"},
    ("PUT", "/api/v1/annotations/{id}/"): {"start", "end", "quote", "non_field_errors"},
    ("PATCH", "/api/v1/annotations/{id}/"): {"start", "end", "quote", "non_field_errors"},
    ("POST", "/api/v1/auth/token/"): {"non_field_errors"},  # no such user, or wrong password
    # A revision must change the text, and not into another stored article's.
    ("PATCH", "/api/v1/articles/{id}/"): {"text"},
    # A text/html body must be a page with main text (JSON bodies never name "html").
    ("POST", "/api/v1/articles/"): {"html"},
    # ClaimReview publishes final verdicts: format=claimreview with labels=raw is refused.
    ("GET", "/api/v1/export/claims"): {"labels"},
}


def refused_for_content_rules(case, response) -> bool:
    fields = CONTENT_RULES.get((case.method.upper(), case.path))
    if fields is None or response.status_code != 400:
        return False
    return set(response.json()) <= fields


@schemathesis.check
def positive_data_accepted_unless_content_rule(ctx, response, case):
    """schemathesis' positive_data_acceptance, except for the content rules above."""
    if refused_for_content_rules(case, response):
        return True
    return positive_data_acceptance(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_accepted_unless_content_rule,
]


def generated_schema() -> dict:
    """The schema ``/api/schema/`` serves, generated in-process: serving it needs a login."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


# The schema's URLs are what Django's URLValidator takes (http(s) or ftp, a host name of
# labels up to 63 characters), not every RFC 3986 URI: generate those.
LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=20)
schemathesis.openapi.format(
    "uri",
    st.builds(
        "https://{}.{}/{}".format,
        LABEL,
        st.sampled_from(["org", "com", "gov", "example"]),
        LABEL,
    ),
)

schema = schemathesis.openapi.from_dict(generated_schema())
schema.app = get_wsgi_application()
# The coverage phase's boundary cases are not bounded by max_examples: too many for a suite.
schema.config.phases.coverage.enabled = False
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=not EXPLORE,
    # Authentication is ours to give (a token header); generated ones would only be 401s.
    with_security_parameters=False,
)


@dataclass
class World:
    token: str
    ids: dict[str, list] = field(default_factory=dict)

    def existing(self, kind: str, generated):
        """An object of ``kind`` that exists, chosen by the generated value so that a
        failing example replays and shrinks."""
        choices = self.ids[kind]
        key = generated if isinstance(generated, int) else len(str(generated))
        return choices[key % len(choices)]

    def mostly_existing(self, kind: str, generated):
        """Three times in four an object that exists; else the generated id (a 404)."""
        key = generated if isinstance(generated, int) else len(str(generated))
        if kind not in self.ids or key % 4 == 3:
            return generated
        return self.existing(kind, generated)


@pytest.fixture
def connection_kept_open():
    """Requests go through the bare WSGI handler, which closes the database connection
    when a request ends: on PostgreSQL that would close the test's transaction with it.
    Django's own test client disconnects the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def build_world() -> World:
    seed_article = article(SEED_ARTICLE.read_bytes().decode("utf-8"))
    reviewer_ann = UserFactory(username="ann", groups=["reviewer"])
    reviewer_ben = UserFactory(username="ben", groups=["reviewer"])
    editor_eve = UserFactory(username="eve", groups=["editor"])
    claims = list(seed_article.claims.order_by("order"))
    # The editor reviews too, so that what they post is work inside an open review.
    services.assignments_create(
        article=seed_article, reviewers=[reviewer_ann, reviewer_ben, editor_eve], by=editor_eve
    )
    for reviewer, claim in ((reviewer_ann, claims[1]), (reviewer_ben, claims[2])):
        services.annotation_create(
            reviewer=reviewer,
            claim=claim,
            quote=claim.text.split()[0],
            error_type=ErrorType.objects.get(slug="wrong-title"),
            sources=[services.NewSource(url="https://www.state.gov/")],
        )
        services.verdict_set(reviewer=reviewer, claim=claim, label=Verdict.Label.INACCURATE)
    services.assignment_submit(
        Assignment.objects.get(reviewer=reviewer_ann, article=seed_article), by=reviewer_ann
    )
    return World(
        token=Token.objects.create(user=editor_eve).key,
        ids={
            "articles": [seed_article.pk],
            "claims": [claim.pk for claim in claims[:4]],
            "annotations": list(Annotation.objects.values_list("pk", flat=True)),
            "verdicts": list(Verdict.objects.values_list("pk", flat=True)),
            "assignments": list(Assignment.objects.values_list("pk", flat=True)),
            "sources": list(Source.objects.values_list("pk", flat=True)),
            "error-types": ["wrong-title", "mistranslation"],
            "reviewers": ["ann", "ben", "eve"],
        },
    )


# Built once for the module; every operation's test starts from it as built (its writes
# are rolled back), as when each test built its own.
world_of_the_module = world_per_module(build_world)


@pytest.fixture
def world(world_of_the_module, db, connection_kept_open) -> World:
    return world_of_the_module


# Fields of request bodies and query strings that name another object, and its kind.
REFERENCES = {
    "claim": "claims",
    "article": "articles",
    "articles": "articles",
    "error_type": "error-types",
    "reviewers": "reviewers",
    "reviewer": "reviewers",
    "reviewer__username": "reviewers",
    "claim__article": "articles",
    "sources": "sources",
}


def resource_of(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/")[0]


def with_existing_references(values: dict, world: World) -> None:
    for name, kind in REFERENCES.items():
        value = values.get(name)
        if isinstance(value, list):
            values[name] = [
                world.existing(kind, item) if isinstance(item, int | str) else item
                for item in value
            ]
        elif isinstance(value, int | str) and not isinstance(value, bool):
            values[name] = world.existing(kind, value)


def into_world(case, world: World) -> None:
    """Point a generated request at objects that exist.

    A path id mostly names an object that exists (else a 404). A request the schema calls
    valid names existing objects in its body and query: which ids exist is the database's
    business, not the schema's, so a refusal there would say nothing about the schema.
    """
    for name, value in list(case.path_parameters.items()):
        case.path_parameters[name] = world.mostly_existing(resource_of(case.path), value)
    if case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    # A well-formed If-Match still names some version; "*" names the one stored (a POST
    # of a verdict may have none yet: it goes without).
    if "If-Match" in (case.headers or {}):
        if case.method.upper() == "POST":
            del case.headers["If-Match"]
        else:
            case.headers["If-Match"] = "*"
    if isinstance(case.query, dict):
        with_existing_references(case.query, world)
    if isinstance(case.body, dict):
        with_existing_references(case.body, world)


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_matches_its_schema(case, world):
    into_world(case, world)
    case.call_and_validate(headers={"Authorization": f"Token {world.token}"}, checks=CHECKS)
