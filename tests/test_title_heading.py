"""The first line of a plain-text import is its title, stored as one heading claim, on
every road in: the service, the API's text/plain, the admin and import_articles' .txt."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from claims import services
from claims.models import Article, Claim

# A headline the segmenter alone takes for two statements: it ends with a full stop, has
# two sentences and no blank line after it.
TITLE = "Blinken admits the talks failed. China still refuses to restore the military hotline."
BODY = (
    "WASHINGTON — Antony Blinken said on Monday that China refused. He flew home.\n"
    "\n"
    "Officials in Beijing did not comment.\n"
)
TEXT = f"{TITLE}\n{BODY}"


def claims_of(article) -> list[tuple[str, str, int, int]]:
    return [(c.kind, c.text, c.start, c.end) for c in article.claims.all()]


def expected(offset: int = 0) -> list[tuple[str, str, int, int]]:
    """The title as one heading claim, then the body's claims as the segmenter cuts them."""
    body_start = offset + len(TITLE) + 1
    return [
        ("heading", TITLE, offset, offset + len(TITLE)),
        (
            "statement",
            "WASHINGTON — Antony Blinken said on Monday that China refused.",
            body_start,
            body_start + 62,
        ),
        ("statement", "He flew home.", body_start + 63, body_start + 76),
        ("statement", "Officials in Beijing did not comment.", body_start + 78, body_start + 115),
    ]


def test_the_segmenter_alone_does_not_see_this_headline(db):
    story = services.article_import(text=TEXT).article  # e.g. JSON without a title
    assert [kind for kind, *_ in claims_of(story)][:2] == ["statement", "statement"]


def test_first_line_is_title_makes_it_one_heading_claim(db):
    story = services.article_import(text="\n  " + TEXT, first_line_is_title=True).article
    assert story.title == TITLE
    assert claims_of(story) == expected(offset=3)
    for claim in story.claims.all():
        assert story.text[claim.start : claim.end] == claim.text


def test_a_title_given_equal_to_the_first_line_is_a_heading_too(db):
    story = services.article_import(title=f" {TITLE} ", text=TEXT).article
    assert claims_of(story) == expected()
    other = services.article_import(title="Something else", text=TEXT + "More.\n").article
    assert other.claims.first().kind == Claim.Kind.STATEMENT


def test_api_plain_text_import_starts_with_the_heading(editor_eve, api_as):
    response = api_as(editor_eve).post(
        "/api/v1/articles/", TEXT.encode(), content_type="text/plain; charset=utf-8"
    )
    assert response.status_code == 201, response.content
    assert claims_of(Article.objects.get(pk=response.json()["id"])) == expected()


def test_api_json_import_without_a_title_is_left_to_the_segmenter(editor_eve, api_as):
    response = api_as(editor_eve).post("/api/v1/articles/", {"text": TEXT}, format="json")
    assert response.status_code == 201, response.content
    assert Article.objects.get().claims.first().kind == Claim.Kind.STATEMENT


def test_admin_import_with_the_title_left_empty(client, editor_eve):
    client.force_login(editor_eve)
    response = client.post(
        reverse("admin:claims_article_add"),
        {"title": "", "text": TEXT, "url": "", "outlet": "", "byline": "", "language": "en"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get()
    assert story.title == TITLE
    assert claims_of(story) == expected()


def test_txt_import_starts_with_the_heading(db, tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8-sig"))
    call_command("import_articles", str(path), stdout=StringIO(), stderr=StringIO())
    assert claims_of(Article.objects.get()) == expected()


def test_the_seed_article_starts_with_its_headline(seed_article):
    first = seed_article.claims.first()
    assert (first.kind, first.text) == (
        "heading",
        "Antony Blinken fails to resume US-China military communications",
    )
