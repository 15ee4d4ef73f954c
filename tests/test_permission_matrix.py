"""Every URL the project answers × every role × read and write, with blind-review content
checks: no role may read a secret that ``HIDDEN_FROM`` keeps from it, on any page.

The table is keyed by URL name and built from the URL conf (the API router, the admin
registry and each ModelAdmin's ``get_urls()``), so a new view without an entry fails
``test_every_url_has_a_matrix_entry``. Roles, in this order: anonymous, staff without a
role, reviewer A (Ann, open review, author of the secrets), reviewer B (Ben, same article,
not submitted), editor (Eve). Writes run in a savepoint that is rolled back, so each cell
starts from the same world; a refused write must also leave the world unchanged.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from claims.models import (
    Adjudication,
    Annotation,
    Article,
    Assignment,
    Claim,
    FinalAnnotation,
    Source,
    Verdict,
)
from tests.module_world import world_per_module
from tests.permission_world import (
    ANN_SECRETS,
    CARL_SECRETS,
    EVE_SECRETS,
    HIDDEN_FROM,
    ROLES,
    World,
    build_world,
    reviewer_group,
    url_names,
)


def by(anon, staff, ann, ben, eve) -> dict[str, int]:
    """Expected status per role, in ``ROLES`` order."""
    return dict(zip(ROLES, (anon, staff, ann, ben, eve), strict=True))


@dataclass(frozen=True)
class Write:
    method: str
    expect: dict[str, int]
    body: Callable[[World], dict] = lambda w: {}


@dataclass(frozen=True)
class Entry:
    path: Callable[[World], str]
    read: dict[str, int] | None  # GET; None: the URL answers no GET worth asking
    writes: list[Write] = field(default_factory=list)
    shows: str | None = None  # a secret this page shows to whoever may read it
    api: bool = False


# Shorthands for the common rows. Admin: anonymous is sent to the login page (302).
ADMIN_ALL = by(302, 200, 200, 200, 200)
API_NONE = by(401, 403, 403, 403, 403)


def admin(path, read, *writes, shows=None) -> Entry:
    return Entry(path if callable(path) else (lambda w, p=path: p), read, list(writes), shows)


def api(path, read, *writes, shows=None) -> Entry:
    return Entry(path if callable(path) else (lambda w, p=path: p), read, list(writes), shows, True)


def post(expect, body=lambda w: {}) -> Write:
    return Write("post", expect, body)


DELETE_CONFIRMED = {"post": "yes"}


def version(obj) -> int:
    return obj.history.earliest("history_date").history_id


def model_pages(
    app_model: str,
    subject: Callable[[World], object],
    *,
    changelist,
    add,
    change,
    history,
    delete,
    change_write=None,
    add_write=None,
    delete_write=None,
    version_read=None,
    shows=None,
    version_shows="same",
) -> dict[str, Entry]:
    """The pages every ModelAdmin has; ``version_read`` for models with simple_history."""
    app, model = app_model.split(".")
    base = f"/admin/{app}/{model}/"
    prefix = f"admin:{app}_{model}_"

    def at(suffix=""):
        return lambda w: f"{base}{subject(w).pk}/{suffix}"

    entries = {
        f"{prefix}changelist": admin(base, changelist),
        f"{prefix}add": admin(f"{base}add/", add, *([post(add_write)] if add_write else [])),
        f"{prefix}change": admin(
            at("change/"), change, *([post(change_write)] if change_write else []), shows=shows
        ),
        f"{prefix}history": admin(at("history/"), history),
        f"{prefix}delete": admin(
            at("delete/"),
            delete,
            *([post(delete_write, lambda w: DELETE_CONFIRMED)] if delete_write else []),
        ),
        # The bare object URL redirects to the change page (or to the login page).
        f"admin:<admin/{app}/{model}/<path:object_id>/>": admin(at(), by(302, 302, 302, 302, 302)),
    }
    if version_read is not None:
        entries[f"{prefix}simple_history"] = admin(
            lambda w: f"{base}{subject(w).pk}/history/{version(subject(w))}/",
            version_read,
            # History is read-only: no revert, for anybody.
            post(by(302, 403, 403, 403, 403)),
            shows=shows if version_shows == "same" else version_shows,
        )
    return entries


NOBODY_ADMIN = by(302, 403, 403, 403, 403)  # only a superuser; none of our roles


def login_attempt(model):
    """One row of a django-axes log, so its admin pages have an object to open."""
    fields = {"username": "mallory", "ip_address": "203.0.113.9", "user_agent": "curl"}
    if model is AccessAttempt:
        fields["failures_since_start"] = 3
    return model.objects.filter(username="mallory").first() or model.objects.create(**fields)


MATRIX: dict[str, Entry] = {
    # Django's admin site.
    "admin:index": admin("/admin/", ADMIN_ALL),
    "admin:login": admin("/admin/login/", by(200, 302, 302, 302, 302)),
    "admin:logout": admin("/admin/logout/", by(302, 405, 405, 405, 405)),
    "admin:password_change": admin(
        "/admin/password_change/", ADMIN_ALL, post(by(302, 200, 200, 200, 200))
    ),
    "admin:password_change_done": admin("/admin/password_change/done/", ADMIN_ALL),
    "admin:jsi18n": admin("/admin/jsi18n/", ADMIN_ALL),
    "admin:app_list": admin("/admin/claims/", by(302, 404, 200, 200, 200)),
    "admin:<admin/(?P<url>.*)$>": admin("/admin/nowhere/", by(302, 404, 404, 404, 404)),
    "admin:view_on_site": admin(
        lambda w: f"/admin/r/{ContentType.objects.get_for_model(Annotation).pk}/{w.annotation.pk}/",
        by(302, 404, 404, 404, 404),  # nothing here has a page outside the admin
    ),
    "admin:autocomplete": admin(
        "/admin/autocomplete/?app_label=claims&model_name=annotation&field_name=sources&term=",
        by(302, 403, 200, 200, 200),
        shows=ANN_SECRETS[4],
    ),
    # Our own admin pages beyond the ModelAdmin defaults.
    "admin:claims_statistics": admin(
        "/admin/claims/article/statistics/", by(302, 403, 403, 403, 200)
    ),
    "admin:claims_article_adjudicate": admin(
        lambda w: f"/admin/claims/article/{w.article.pk}/adjudicate/",
        by(302, 403, 403, 403, 200),
        post(by(302, 403, 403, 403, 200)),
        shows=CARL_SECRETS[0],  # submitted reviews only: Ann's review is open
    ),
    "admin:claims_article_annotate": admin(
        lambda w: f"/admin/claims/article/{w.article.pk}/annotate/",
        by(302, 403, 200, 200, 200),
        # "Assign me": editors only; anyone else is refused before anything is written.
        post(by(302, 403, 403, 403, 302), lambda w: {"action": "assign_me"}),
        shows=ANN_SECRETS[0],  # Ann sees her own correction; Ben (open review) does not
    ),
    "admin:claims_article_revise": admin(
        lambda w: f"/admin/claims/article/{w.article.pk}/revise/",
        by(302, 403, 403, 403, 200),
        post(by(302, 403, 403, 403, 200)),
    ),
    "admin:claims_article_source_html": admin(
        lambda w: f"/admin/claims/article/{w.article.pk}/source-html/",
        by(302, 403, 200, 200, 200),  # whoever may see the article sees the page it came from
    ),
    "admin:claims_article_revisions": admin(
        lambda w: f"/admin/claims/article/{w.article.pk}/revisions/",
        by(302, 403, 403, 403, 200),
    ),
    "admin:claims_article_revision_diff": admin(
        lambda w: f"/admin/claims/article/{w.article.pk}/revisions/999999/",
        by(302, 403, 403, 403, 404),  # the world has no revision: editors are let through
    ),
    "admin:claims_annotation_restore": admin(
        lambda w: f"/admin/claims/annotation/history/{version(w.annotation)}/restore/",
        by(302, 405, 405, 405, 405),
        post(by(302, 403, 403, 403, 302)),  # editors restore a version (here: unchanged)
    ),
    "admin:claims_claim_split": admin(
        lambda w: f"/admin/claims/claim/{w.claim.pk}/split/",
        by(302, 403, 403, 403, 200),
        post(by(302, 403, 403, 403, 200)),
    ),
    **model_pages(
        "claims.article",
        lambda w: w.article,
        changelist=by(302, 403, 200, 200, 200),
        add=by(302, 403, 200, 200, 200),
        add_write=by(302, 403, 200, 200, 200),
        change=by(302, 403, 200, 200, 200),
        change_write=by(302, 403, 403, 403, 200),
        history=by(302, 403, 200, 200, 200),
        delete=by(302, 403, 403, 403, 200),
        delete_write=by(302, 403, 403, 403, 200),  # its reviews protect it: the page says so
        shows=ANN_SECRETS[0],
    ),
    **model_pages(
        "claims.claim",
        lambda w: w.claim,
        changelist=by(302, 403, 200, 200, 200),
        add=by(302, 403, 403, 403, 403),
        add_write=by(302, 403, 403, 403, 403),
        change=by(302, 403, 200, 200, 200),
        # The kind: editors, and reviewers of the article while their review is open.
        change_write=by(302, 403, 200, 200, 200),
        history=by(302, 403, 200, 200, 200),
        version_read=by(302, 403, 200, 200, 200),
        delete=by(302, 403, 403, 403, 200),
        delete_write=by(302, 403, 403, 403, 200),
        shows=ANN_SECRETS[0],
        # A claim rebuilt from its history shows no annotations: whose it could show is
        # decided on prefetching, which a history page does not do.
        version_shows=None,
    ),
    **model_pages(
        "claims.annotation",
        lambda w: w.annotation,
        changelist=by(302, 403, 200, 200, 200),
        add=by(302, 403, 200, 200, 200),
        add_write=by(302, 403, 200, 200, 200),
        change=by(302, 403, 200, 302, 200),
        change_write=by(302, 403, 200, 302, 200),
        history=by(302, 403, 200, 403, 200),
        version_read=by(302, 403, 200, 403, 200),
        delete=by(302, 403, 200, 302, 200),
        delete_write=by(302, 403, 302, 302, 302),
        shows=ANN_SECRETS[0],
    ),
    **model_pages(
        "claims.verdict",
        lambda w: w.verdict,
        changelist=by(302, 403, 200, 200, 200),
        add=by(302, 403, 200, 200, 200),
        add_write=by(302, 403, 200, 200, 200),
        change=by(302, 403, 200, 302, 200),
        change_write=by(302, 403, 200, 302, 200),
        history=by(302, 403, 200, 403, 200),
        version_read=by(302, 403, 200, 403, 200),
        delete=by(302, 403, 200, 302, 200),
        delete_write=by(302, 403, 302, 302, 302),
        shows=ANN_SECRETS[2],
    ),
    **model_pages(
        "claims.source",
        lambda w: w.source,
        changelist=by(302, 403, 200, 200, 200),
        add=by(302, 403, 200, 200, 200),
        add_write=by(302, 403, 200, 200, 200),
        change=by(302, 403, 200, 302, 200),
        change_write=by(302, 403, 200, 302, 200),
        history=by(302, 403, 200, 403, 200),
        version_read=by(302, 403, 200, 403, 200),
        delete=by(302, 403, 403, 403, 200),
        delete_write=by(302, 403, 403, 403, 302),
        shows=ANN_SECRETS[3],
    ),
    **model_pages(
        "claims.errortype",
        lambda w: w.error_type,
        changelist=by(302, 403, 200, 200, 200),
        add=by(302, 403, 403, 403, 200),
        add_write=by(302, 403, 403, 403, 200),
        change=by(302, 403, 200, 200, 200),
        change_write=by(302, 403, 403, 403, 200),
        history=by(302, 403, 200, 200, 200),
        delete=by(302, 403, 403, 403, 403),
        delete_write=by(302, 403, 403, 403, 403),
    ),
    **model_pages(
        "claims.assignment",
        lambda w: w.assignment,
        changelist=by(302, 403, 200, 200, 200),
        add=by(302, 403, 403, 403, 200),
        add_write=by(302, 403, 403, 403, 200),
        change=by(302, 403, 200, 302, 200),
        change_write=by(302, 403, 403, 403, 403),  # states move by submit and reopen only
        history=by(302, 403, 200, 403, 200),
        version_read=by(302, 403, 200, 403, 200),
        delete=by(302, 403, 403, 403, 200),
        delete_write=by(302, 403, 403, 403, 302),
    ),
    **model_pages(
        "claims.adjudication",
        lambda w: w.adjudication,
        changelist=by(302, 403, 200, 200, 200),
        add=by(302, 403, 403, 403, 403),
        add_write=by(302, 403, 403, 403, 403),
        change=by(302, 403, 302, 302, 200),
        change_write=by(302, 403, 403, 403, 403),  # made on the adjudication page only
        history=by(302, 403, 403, 403, 200),
        version_read=by(302, 403, 403, 403, 200),
        delete=by(302, 403, 403, 403, 403),
        delete_write=by(302, 403, 403, 403, 403),
        shows=EVE_SECRETS[0],
    ),
    # Django's and DRF's own models: no role of ours reaches them.
    **model_pages(
        "auth.user",
        lambda w: w.users["ann"],
        changelist=NOBODY_ADMIN,
        add=NOBODY_ADMIN,
        change=NOBODY_ADMIN,
        change_write=NOBODY_ADMIN,
        history=NOBODY_ADMIN,
        delete=NOBODY_ADMIN,
        delete_write=NOBODY_ADMIN,
    ),
    "admin:auth_user_password_change": admin(
        lambda w: f"/admin/auth/user/{w.users['ann'].pk}/password/",
        NOBODY_ADMIN,
        post(NOBODY_ADMIN),
    ),
    **model_pages(
        "auth.group",
        lambda w: reviewer_group(),
        changelist=NOBODY_ADMIN,
        add=NOBODY_ADMIN,
        change=NOBODY_ADMIN,
        change_write=NOBODY_ADMIN,
        history=NOBODY_ADMIN,
        delete=NOBODY_ADMIN,
        delete_write=NOBODY_ADMIN,
    ),
    **model_pages(
        "authtoken.tokenproxy",
        lambda w: w.users["ann"],
        changelist=NOBODY_ADMIN,
        add=NOBODY_ADMIN,
        change=NOBODY_ADMIN,
        change_write=NOBODY_ADMIN,
        history=NOBODY_ADMIN,
        delete=NOBODY_ADMIN,
        delete_write=NOBODY_ADMIN,
    ),
    # django-axes' records of login attempts: superusers only, none of our roles.
    **{
        name: entry
        for model in (AccessAttempt, AccessLog, AccessFailureLog)
        for name, entry in model_pages(
            f"axes.{model._meta.model_name}",
            lambda w, model=model: login_attempt(model),
            changelist=NOBODY_ADMIN,
            add=NOBODY_ADMIN,
            change=NOBODY_ADMIN,
            change_write=NOBODY_ADMIN,
            history=NOBODY_ADMIN,
            delete=NOBODY_ADMIN,
            delete_write=NOBODY_ADMIN,
        ).items()
    },
    # The API. Anonymous gets 401 (token authentication); the model rights come next.
    "api-root": api("/api/v1/", by(401, 200, 200, 200, 200)),
    "api-token": api(
        "/api/v1/auth/token/", by(405, 405, 405, 405, 405), post(by(400, 400, 400, 400, 400))
    ),
    # Revoking Ann's token: Ann herself or an editor; the method is DELETE only.
    "api-user-token": api(
        lambda w: f"/api/v1/auth/tokens/{w.users['ann'].username}/",
        by(401, 405, 405, 405, 405),
        Write("delete", by(401, 403, 204, 403, 204)),
    ),
    "schema": api("/api/schema/", by(401, 200, 200, 200, 200)),
    "api-docs": api("/api/docs/", by(401, 200, 200, 200, 200)),
    "article-list": api(
        "/api/v1/articles/",
        by(401, 403, 200, 200, 200),
        post(by(401, 403, 400, 400, 400)),
    ),
    "article-detail": api(
        lambda w: f"/api/v1/articles/{w.article.pk}/",
        by(401, 403, 200, 200, 200),
        Write("patch", by(401, 403, 403, 403, 400)),  # editors revise the text; {} says what
        Write("delete", by(401, 403, 403, 403, 405)),
        shows=ANN_SECRETS[0],
    ),
    "article-source-html": api(
        lambda w: f"/api/v1/articles/{w.article.pk}/source-html/",
        by(401, 403, 200, 200, 200),
        post(by(401, 403, 405, 405, 405)),
    ),
    "claim-list": api(
        "/api/v1/claims/", by(401, 403, 200, 200, 200), post(by(401, 403, 403, 403, 405))
    ),
    "claim-detail": api(
        lambda w: f"/api/v1/claims/{w.claim.pk}/",
        by(401, 403, 200, 200, 200),
        Write("patch", by(401, 403, 405, 405, 405)),
        Write("delete", by(401, 403, 403, 403, 405)),
        shows=ANN_SECRETS[0],
    ),
    "annotation-list": api(
        "/api/v1/annotations/",
        by(401, 403, 200, 200, 200),
        post(by(401, 403, 400, 400, 400)),
        shows=ANN_SECRETS[0],
    ),
    "annotation-detail": api(
        lambda w: f"/api/v1/annotations/{w.annotation.pk}/",
        by(401, 403, 200, 404, 200),
        Write("patch", by(401, 403, 200, 404, 200)),
        Write("delete", by(401, 403, 204, 404, 204)),
        shows=ANN_SECRETS[0],
    ),
    "verdict-list": api(
        "/api/v1/verdicts/",
        by(401, 403, 200, 200, 200),
        post(by(401, 403, 400, 400, 400)),
        shows=ANN_SECRETS[2],
    ),
    "verdict-detail": api(
        lambda w: f"/api/v1/verdicts/{w.verdict.pk}/",
        by(401, 403, 200, 404, 200),
        Write("patch", by(401, 403, 405, 405, 405)),
        Write("delete", by(401, 403, 405, 405, 405)),
        shows=ANN_SECRETS[2],
    ),
    "source-list": api(
        "/api/v1/sources/",
        by(401, 403, 200, 200, 200),
        post(by(401, 403, 400, 400, 400)),
        shows=ANN_SECRETS[3],
    ),
    "source-detail": api(
        lambda w: f"/api/v1/sources/{w.source.pk}/",
        by(401, 403, 200, 404, 200),
        Write("patch", by(401, 403, 200, 404, 200)),
        Write("delete", by(401, 403, 403, 403, 204)),
        shows=ANN_SECRETS[3],
    ),
    "errortype-list": api(
        "/api/v1/error-types/", by(401, 403, 200, 200, 200), post(by(401, 403, 403, 403, 405))
    ),
    "errortype-detail": api(
        lambda w: f"/api/v1/error-types/{w.error_type.slug}/",
        by(401, 403, 200, 200, 200),
        Write("patch", by(401, 403, 403, 403, 405)),
        Write("delete", by(401, 403, 403, 403, 403)),
    ),
    "assignment-list": api(
        "/api/v1/assignments/", by(401, 403, 200, 200, 200), post(by(401, 403, 403, 403, 400))
    ),
    "assignment-detail": api(
        lambda w: f"/api/v1/assignments/{w.assignment.pk}/",
        by(401, 403, 200, 404, 200),
        Write("patch", by(401, 403, 403, 403, 405)),
        Write("delete", by(401, 403, 403, 403, 405)),
    ),
    "assignment-distribute": api(
        "/api/v1/assignments/distribute/",
        by(401, 403, 405, 405, 405),
        post(by(401, 403, 403, 403, 400)),
    ),
    "assignment-submit": api(
        lambda w: f"/api/v1/assignments/{w.assignment.pk}/submit/",
        by(401, 403, 405, 405, 405),
        post(by(401, 403, 200, 404, 403)),  # one's own review only, editors included
    ),
    "assignment-reopen": api(
        lambda w: f"/api/v1/assignments/{w.assignment.pk}/reopen/",
        by(401, 403, 405, 405, 405),
        post(by(401, 403, 403, 403, 409)),  # the world's review is open: nothing to reopen
    ),
    "export-claims": api(
        "/api/v1/export/claims?format=jsonl", by(401, 403, 403, 403, 200), shows=EVE_SECRETS[0]
    ),
    "agreement": api("/api/v1/agreement", by(401, 403, 403, 403, 200)),
    # Final verdicts as ClaimReview markup: an export (editors); never the editor's note.
    "article-claimreview": api(
        lambda w: f"/api/v1/articles/{w.article.pk}/claimreview.html",
        by(401, 403, 403, 403, 200),
        post(by(401, 403, 403, 403, 405)),
    ),
}

# Patterns that are not views of ours: the site root redirects to the admin.
MATRIX["<>"] = Entry(lambda w: "/", by(302, 302, 302, 302, 302))
# The site's icon, for everyone: a redirect to the static file (tests/test_favicon.py).
MATRIX["favicon"] = Entry(lambda w: "/favicon.ico", by(302, 302, 302, 302, 302))


def clients(world: World) -> dict[tuple[str, bool], Client]:
    """One admin client (session) and one API client (token) per role, logged in once."""
    made = {}
    for role, user in world.users.items():
        admin_client, api_client = Client(), APIClient()
        if user is not None:
            admin_client.force_login(user)
            api_client.credentials(HTTP_AUTHORIZATION=f"Token {world.token(user)}")
        made[role, False], made[role, True] = admin_client, api_client
    return made


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def state() -> tuple:
    """What a write could change, to prove a refused one changed nothing."""
    return tuple(
        tuple(model.objects.order_by("pk").values_list())
        for model in (
            Article,
            Claim,
            Annotation,
            Verdict,
            Source,
            Assignment,
            Adjudication,
            FinalAnnotation,
        )
    )


REFUSALS = {401, 403, 404, 405}


def content_problems(name, role, response, shows) -> list[str]:
    text = body(response)
    problems = [
        f"{name} as {role}: shows {secret!r}, which blind review keeps from {role}"
        for secret in HIDDEN_FROM[role]
        if secret in text
    ]
    allowed = shows and response.status_code == 200 and shows not in HIDDEN_FROM[role]
    if allowed and shows not in text:
        problems.append(f"{name} as {role}: should show {shows!r} and does not")
    return problems


def test_every_url_has_a_matrix_entry():
    missing = sorted(url_names() - set(MATRIX))
    stale = sorted(set(MATRIX) - url_names())
    assert not missing, (
        "These URLs have no entry in tests/test_permission_matrix.py::MATRIX; add one saying "
        f"what each role may read and write there: {missing}"
    )
    assert not stale, f"MATRIX entries for URLs that no longer exist: {stale}"


world_of_the_module = world_per_module(build_world)


@pytest.fixture
def world(world_of_the_module, db) -> World:
    return world_of_the_module


def test_who_reads_what(world):
    as_role = clients(world)
    problems = []
    for name, entry in MATRIX.items():
        if entry.read is None:
            continue
        url = entry.path(world)
        for role in ROLES:
            response = as_role[role, entry.api].get(url)
            if response.status_code != entry.read[role]:
                problems.append(
                    f"{name} GET {url} as {role}: {response.status_code}, "
                    f"expected {entry.read[role]}"
                )
            problems += content_problems(name, role, response, entry.shows)
    assert not problems, "\n".join(problems)


def test_who_writes_what(world):
    as_role = clients(world)
    # Every write is rolled back, so each starts from this same state.
    before = state()
    problems = []
    for name, entry in MATRIX.items():
        url = entry.path(world)
        for write in entry.writes:
            for role in ROLES:
                client = as_role[role, entry.api]
                expected = write.expect[role]
                refused = expected in REFUSALS or (role == "anon" and expected == 302)
                with transaction.atomic():
                    send = getattr(client, write.method)
                    data = write.body(world)
                    response = send(url, data, format="json") if entry.api else send(url, data)
                    after = state() if refused else before
                    transaction.set_rollback(True)
                if response.status_code != expected:
                    problems.append(
                        f"{name} {write.method.upper()} {url} as {role}: "
                        f"{response.status_code}, expected {expected}"
                    )
                if after != before:
                    problems.append(f"{name} {write.method.upper()} as {role}: refused, yet wrote")
                problems += content_problems(name, role, response, None)
    assert not problems, "\n".join(problems)
