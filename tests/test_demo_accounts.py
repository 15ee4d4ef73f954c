"""`make run` prints two logins: the editor demo and a reviewer with an open review."""

import io
import re

from django.core.management import call_command
from django.test import Client

from claims.models import Article, Assignment


def demo_logins() -> dict[str, str]:
    out = io.StringIO()
    call_command("create_demo_account", url="http://127.0.0.1:8123/admin/", stdout=out)
    assert "http://127.0.0.1:8123/admin/" in out.getvalue()
    return dict(re.findall(r"^\s+(\S+)\s+password: (\S+)", out.getvalue(), re.M))


def logs_in(username: str, password: str) -> bool:
    """Through the admin's login form, as a person would (django-axes wants the request)."""
    client = Client()
    client.post("/admin/login/", {"username": username, "password": password})
    return client.get("/admin/").status_code == 200


def test_make_run_prints_an_editor_and_a_reviewer_with_an_open_review_of_the_seed(db):
    call_command("load_seeds", stdout=io.StringIO())
    logins = demo_logins()
    assert set(logins) == {"demo", "demo-reviewer"}

    seed = Article.objects.get()
    open_review = Assignment.objects.get(article=seed, reviewer__username="demo-reviewer")
    assert open_review.submitted_at is None

    for username, password in logins.items():
        assert logs_in(username, password), username
    reviewer = open_review.reviewer
    assert reviewer.has_perm("claims.add_annotation")
    assert not reviewer.has_perm("claims.view_all_reviews")  # blind: not an editor
    assert Assignment.objects.get(reviewer__username="demo").reviewer.has_perm(
        "claims.view_all_reviews"
    )


def test_running_it_again_resets_the_passwords_and_assigns_nothing_twice(db):
    call_command("load_seeds", stdout=io.StringIO())
    first = demo_logins()
    second = demo_logins()
    assert first["demo-reviewer"] != second["demo-reviewer"]
    assert not logs_in("demo-reviewer", first["demo-reviewer"])
    assert logs_in("demo-reviewer", second["demo-reviewer"])
    assert Assignment.objects.filter(reviewer__username__startswith="demo").count() == 2
