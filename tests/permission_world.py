"""The world the permission matrix runs in, and the URLs it must cover.

One small article reviewed by four reviewers: Ann (reviewer A) and Ben (reviewer B) have
open reviews; Carl and Dora submitted theirs, so Eve (the editor) could adjudicate. Each
secret below is written by one person; blind review says who may read it.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from claims import services
from claims.models import Adjudication, Annotation, Assignment, ErrorType, Source, Verdict
from claims.roles import Role
from tests.factories import UserFactory, annotate, article, assign, submit

ROLES = ("anon", "staff", "ann", "ben", "eve")

ANN_SECRETS = (
    "ANN-CORRECTION-7c1",
    "ANN-NOTE-7c1",
    "ANN-VERDICT-7c1",
    "ANN-PASSAGE-7c1",
    "ANN-SOURCE-7c1",
)
CARL_SECRETS = ("CARL-CORRECTION-3f9",)
EVE_SECRETS = ("EVE-FINAL-NOTE-5d2",)

# What each role must never read, on any page or in any API body.
HIDDEN_FROM = {
    "anon": ANN_SECRETS + CARL_SECRETS + EVE_SECRETS,
    "staff": ANN_SECRETS + CARL_SECRETS + EVE_SECRETS,
    "ann": CARL_SECRETS + EVE_SECRETS,  # her review is open: others' work and final labels
    "ben": ANN_SECRETS + CARL_SECRETS + EVE_SECRETS,
    "eve": (),
}

TEXT = (
    "Minister visits Paris\n\n"
    "The minister arrived in Paris on Monday. She met the president there.\n\n"
    "Talks lasted three hours. Both sides called them useful."
)


@dataclass
class World:
    users: dict
    article: object
    claim: object  # Ann's tagged claim
    annotation: Annotation  # Ann's
    verdict: Verdict  # Ann's
    source: Source  # Ann's
    assignment: Assignment  # Ann's
    adjudication: Adjudication  # Eve's, of Carl's tagged claim
    error_type: ErrorType

    def token(self, user) -> str:
        return Token.objects.get_or_create(user=user)[0].key


def build_world() -> World:
    users = {
        "anon": None,
        "staff": UserFactory(username="stan"),  # staff status, no role
        "ann": UserFactory(username="ann", groups=["reviewer"]),
        "ben": UserFactory(username="ben", groups=["reviewer"]),
        "eve": UserFactory(username="eve", groups=["editor"]),
    }
    carl = UserFactory(username="carl", groups=["reviewer"])
    dora = UserFactory(username="dora", groups=["reviewer"])
    story = article(TEXT)
    # As if imported from a saved web page, so that the pages showing it have something to.
    story.source_html = f"<html><body><h1>{TEXT.splitlines()[0]}</h1></body></html>"
    story.save(update_fields=["source_html"])
    first, second, third = list(story.claims.order_by("order"))[1:4]
    assign(story, users["ann"], users["ben"], carl, dora)
    correction, note, verdict_note, passage, source_title = ANN_SECRETS
    tag = annotate(
        first,
        users["ann"],
        "Paris",
        correction=correction,
        note=note,
        sources=[
            services.NewSource(
                url="https://example.org/ann", title=source_title, quoted_passage=passage
            )
        ],
    )
    verdict = services.verdict_set(
        claim=first, reviewer=users["ann"], label="inaccurate", note=verdict_note
    )
    annotate(second, users["ben"], "president")
    annotate(third, carl, "three hours", correction=CARL_SECRETS[0])
    # A claim's history starts at its first change; import writes none.
    services.claim_set_kind(first, kind=first.kind, by=users["eve"])
    submit(story, carl)
    submit(story, dora)
    adjudication = services.claim_adjudicate(
        claim=third, editor=users["eve"], verdict="misleading", note=EVE_SECRETS[0]
    )
    return World(
        users=users,
        article=story,
        claim=first,
        annotation=tag,
        verdict=verdict,
        source=tag.sources.get(),
        assignment=Assignment.objects.get(article=story, reviewer=users["ann"]),
        adjudication=adjudication,
        error_type=tag.error_type,
    )


def reviewer_group() -> Group:
    return Group.objects.get(name=Role.REVIEWER)


def url_names() -> set[str]:
    """Every URL the project answers, by name ("admin:claims_claim_change"); a pattern
    without a name by its route ("admin:<route>")."""

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<{prefix}{pattern.pattern}>"
                yield f"{namespace}:{name}" if namespace else name

    return set(walk(get_resolver().url_patterns, "", ""))
