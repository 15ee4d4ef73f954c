"""POST /api/v1/articles/ with ``Content-Type: text/html``, and where the saved page goes.

The page is kept with the article for provenance, but it can be megabytes: it is served on
request (``…/source-html/``, the admin's link) and never rides along in lists, details,
exports or the claim queries.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Article, Claim
from tests.factories import annotate_opening, submit
from tests.test_saved_pages import BODY, HEADLINE, PAGES, SEED_PARAGRAPHS

ARTICLES = "/api/v1/articles/"
SOURCE_COLUMN = '"source_html"'


def post_page(client, page: str | bytes, content_type="text/html"):
    body = page.encode("utf-8") if isinstance(page, str) else page
    return client.post(ARTICLES, body, content_type=content_type)


@pytest.fixture
def wire_page() -> str:
    return (PAGES / "wire-style.html").read_text(encoding="utf-8")


def test_a_posted_page_becomes_an_article_with_its_metadata(editor_eve, api_as, wire_page):
    response = post_page(api_as(editor_eve), wire_page)
    assert response.status_code == 201, response.content
    body = response.json()
    assert {key: body[key] for key in ("title", "byline", "outlet", "published_on")} == {
        "title": HEADLINE,
        "byline": "Kristina Wong",
        "outlet": "Reuters",
        "published_on": "2023-06-19",
    }
    assert body["url"] == (
        "https://www.reuters.com/world/china/"
        "blinken-fails-resume-us-china-military-communications-2023-06-19/"
    )
    assert body["language"] == "en"
    assert body["imported_by"] == "eve"
    assert body["text"].startswith(f"{HEADLINE}\n\nWASHINGTON, June 19 (Reuters) - {BODY[0]}")
    assert body["claims"][0] == {**body["claims"][0], "text": HEADLINE, "kind": "heading"}
    assert "source_html" not in body
    assert Article.objects.get().source_html == wire_page


def test_the_same_page_posted_again_is_the_article_already_stored(editor_eve, api_as, wire_page):
    client = api_as(editor_eve)
    first = post_page(client, wire_page)
    again = post_page(client, wire_page)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_the_saved_page_is_served_on_request_and_nowhere_else(
    editor_eve, reviewer_ann, api_as, wire_page
):
    created = post_page(api_as(editor_eve), wire_page).json()
    client = api_as(reviewer_ann)  # whoever may read the article may read its page
    page = client.get(f"{ARTICLES}{created['id']}/source-html/")
    assert page.status_code == 200
    assert page.json() == {"id": created["id"], "url": created["url"], "source_html": wire_page}
    marker = "onetrust-banner-sdk"  # in the page, never in the article's text
    for url in (
        ARTICLES,
        f"{ARTICLES}{created['id']}/",
        "/api/v1/claims/",
        "/api/v1/export/claims?format=jsonl",
    ):
        response = api_as(editor_eve).get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200
        assert marker.encode() not in content and b"source_html" not in content, url


def test_an_article_that_came_as_text_has_no_saved_page(editor_eve, api_as, seed_article):
    response = api_as(editor_eve).get(f"{ARTICLES}{seed_article.pk}/source-html/")
    assert response.status_code == 404
    assert "was not imported from a web page" in response.json()["detail"]


def test_the_charset_sent_is_the_one_read(editor_eve, api_as):
    # No <meta charset>: read as UTF-8 or Windows-1252 (the fallbacks) it would be mojibake.
    page = (
        "<html><body><article><h1>Мост открыт</h1><p>Мост на трассе 9 открыли в пятницу, "
        "через восемь месяцев после начала ремонта, сообщили в округе.</p><p>Движение "
        "вернётся в обычный режим к понедельнику, добавили чиновники.</p></article></body></html>"
    )
    response = post_page(api_as(editor_eve), page.encode("cp1251"), "text/html; charset=cp1251")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Мост открыт"
    assert Article.objects.get().source_html == page


def test_an_unknown_charset_is_refused_by_name(editor_eve, api_as):
    response = post_page(api_as(editor_eve), b"<html></html>", "text/html; charset=klingon")
    assert response.status_code == 400
    assert "“klingon” named by the request is unknown" in response.json()["detail"]


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        "<html><body><div id='app'></div><script>load()</script></body></html>",
        "plain words, not a page",
        "   ",
    ],
)
def test_a_page_without_article_text_is_refused_and_nothing_is_saved(editor_eve, api_as, page):
    response = post_page(api_as(editor_eve), page)
    assert response.status_code == 400
    assert list(response.json()) == ["html"]
    assert "The page cannot be imported:" in response.json()["html"][0]
    assert not Article.objects.exists()


def test_a_page_over_the_body_limit_is_413_naming_it(editor_eve, api_as, wire_page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000
    response = post_page(api_as(editor_eve), wire_page)
    assert response.status_code == 413
    assert "5,000 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)" in response.json()["detail"]
    assert not Article.objects.exists()


def test_a_page_whose_text_is_over_the_article_limit_is_400_naming_it(
    editor_eve, api_as, wire_page, settings
):
    settings.FACTCHECK_MAX_ARTICLE_CHARS = 1_000
    response = post_page(api_as(editor_eve), wire_page)
    assert response.status_code == 400
    assert "the limit is 1,000 (FACTCHECK_MAX_ARTICLE_CHARS)" in response.json()["text"][0]
    assert not Article.objects.exists() and not Claim.objects.exists()


def a_megabyte_page(story: str) -> str:
    """``story`` grown past 1 MB the way real pages grow: inline state, scripts and styles
    (a news site's saved page is mostly that), plus a menu of a thousand links."""
    state = '{"story": {"headline": "not this", "body": "' + "x" * 700_000 + '"}}'
    menu = "".join(f"<li><a href='/section/{n}'>Section {n}</a></li>" for n in range(1_000))
    style = ".c{color:red}" * 20_000
    head, _, rest = story.partition("<body>")
    return (
        f"{head}<style>{style}</style><body><nav><ul>{menu}</ul></nav>"
        f"<script id='__NEXT_DATA__' type='application/json'>{state}</script>{rest}"
    )


def test_a_one_megabyte_page_is_within_the_limits(editor_eve, api_as, wire_page):
    page = a_megabyte_page(wire_page)
    assert len(page.encode()) > 1_000_000
    response = post_page(api_as(editor_eve), page)
    assert response.status_code == 201, response.content
    assert Article.objects.get().source_html == page
    text = response.json()["text"]
    assert BODY[-1] in text
    assert "Section 999" not in text and "not this" not in text and "color:red" not in text


def test_lists_details_and_exports_never_read_the_saved_page(
    editor_eve, reviewer_ann, reviewer_ben, api_as, client, wire_page
):
    created = post_page(api_as(editor_eve), wire_page).json()
    article = Article.objects.get(pk=created["id"])
    for claim in article.claims.filter(kind="statement")[:5]:
        annotate_opening(claim, reviewer_ann, 4)
    submit(article, reviewer_ann)
    submit(article, reviewer_ben)
    services.claim_adjudicate(
        claim=article.claims.filter(kind="statement").first(),
        editor=editor_eve,
        verdict="accurate",
    )
    client.force_login(editor_eve)
    for url in (
        ARTICLES,
        f"{ARTICLES}{article.pk}/",
        f"/api/v1/claims/?page_size=500&article={article.pk}",
        f"/api/v1/annotations/?article={article.pk}",
        "/api/v1/assignments/",
        f"/api/v1/export/claims?format=jsonl&article={article.pk}",
        f"/api/v1/export/claims?format=doccano&article={article.pk}",
        f"/api/v1/export/claims?format=labelstudio&article={article.pk}",
        "/admin/claims/article/",
        f"/admin/claims/article/{article.pk}/change/",
        f"/admin/claims/article/{article.pk}/annotate/",
        "/admin/claims/claim/",
        "/admin/claims/annotation/",
        "/admin/claims/assignment/",
        "/admin/claims/adjudication/",
    ):
        get = client.get if url.startswith("/admin/") else api_as(editor_eve).get
        with CaptureQueriesContext(connection) as captured:
            response = get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        reads = [q["sql"] for q in captured.captured_queries if SOURCE_COLUMN in q["sql"]]
        # The article's change page asks the database for the page's length, not the page.
        assert all("LENGTH(" in sql.upper() for sql in reads), (url, reads)


HOSTILE = """<html><head><script>alert("head")</script></head>
  <body onload="alert('body')"><article><h1>Council approves the budget</h1>
  <p onclick="alert('click')">The council met on Monday and approved next year's budget
     after a long debate <img src=x onerror="alert('img')">in the town hall.</p>
  <p>A reader wrote &lt;script&gt;alert(1)&lt;/script&gt; in the comment box, and the
     council's website showed it as text.</p>
  <p>The mayor said the budget keeps taxes flat while paying for two fire engines.</p>
  </article></body></html>"""


def test_a_hostile_page_shows_as_text_everywhere(editor_eve, api_as, client):
    created = post_page(api_as(editor_eve), HOSTILE).json()
    client.force_login(editor_eve)
    for url in (
        f"/admin/claims/article/{created['id']}/change/",
        reverse("admin:claims_article_annotate", args=[created["id"]]),
    ):
        page = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)" not in page
        assert "onerror" not in page and "onclick" not in page
    # The page itself, on its admin page: plain text that no browser renders or runs.
    saved = client.get(reverse("admin:claims_article_source_html", args=[created["id"]]))
    assert saved.status_code == 200
    assert saved["Content-Type"] == "text/plain; charset=utf-8"
    assert saved["X-Content-Type-Options"] == "nosniff"
    assert saved["Content-Security-Policy"].startswith("sandbox")
    assert saved.content.decode() == HOSTILE


def test_the_admin_links_the_saved_page_with_its_size(editor_eve, api_as, client, seed_article):
    created = post_page(api_as(editor_eve), HOSTILE).json()
    client.force_login(editor_eve)
    page = client.get(f"/admin/claims/article/{created['id']}/change/").content.decode()
    link = reverse("admin:claims_article_source_html", args=[created["id"]])
    assert f'<a href="{link}">The page as imported</a> ({len(HOSTILE):,} characters)' in page
    as_text = client.get(f"/admin/claims/article/{seed_article.pk}/change/").content.decode()
    assert "— (imported as text)" in as_text
    missing = client.get(reverse("admin:claims_article_source_html", args=[seed_article.pk]))
    assert missing.status_code == 404


def test_page_furniture_kept_in_a_posted_page_is_marked_as_boilerplate(editor_eve, api_as):
    amp = (PAGES / "amp-page.html").read_text(encoding="utf-8")
    claims = post_page(api_as(editor_eve), amp).json()["claims"]
    kinds = {claim["text"]: claim["kind"] for claim in claims}
    assert kinds[SEED_PARAGRAPHS[6]] == "boilerplate"
    assert kinds[SEED_PARAGRAPHS[23]] == "boilerplate"
