"""Real saved news pages → one article each, through import_articles and the API.

The pages (tests/fixtures/html/real/, see the README one folder up) are third-party test
data from Mozilla Readability's test suite: each comes with the article body a careful
extractor keeps (``<name>.expected.html``) and its metadata (``<name>.expected-metadata.json``).
Each page must import as one article whose title is the metadata's, whose every body
paragraph of the reference comes out as its own blank-line separated block, in order, and
from which the page's navigation, share, login, comment and footer texts are gone.
"""

import json
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from claims.models import Article
from claims.saved_pages import article_from_page, decode_page
from tests.api.test_html_articles_api import post_page
from tests.test_import_html import run_import

REAL = Path(__file__).resolve().parent / "fixtures" / "html" / "real"


def one_line(text: str) -> str:
    return " ".join(text.split())


def reference_paragraphs(name: str) -> list[str]:
    """The <p> paragraphs of the reference body, white space normalised. Image captions
    are left out: Readability keeps them, our import drops figures with their captions."""
    tree = lxml.html.fragment_fromstring((REAL / f"{name}.expected.html").read_text("utf-8"))
    paragraphs = tree.xpath("//p[not(contains(@class, 'caption'))]")
    return [text for p in paragraphs if (text := one_line(p.text_content()))]


def reference_title(name: str) -> str:
    """The metadata's title, on one line, without the " | Site" suffix some <title>s carry
    (Readability keeps it; the article's title is the headline)."""
    metadata = json.loads((REAL / f"{name}.expected-metadata.json").read_text("utf-8"))
    return one_line(metadata["title"]).removesuffix(" | Herald Sun")


def blocks(text: str) -> list[str]:
    return [one_line(block) for block in text.split("\n\n")]


EXPECTED = {
    "ars-1": {
        "outlet": "Ars Technica",
        "byline": "Dan Goodin",
        "url": "https://arstechnica.com/information-technology/2015/04/"
        "just-released-minecraft-exploit-makes-it-easy-to-crash-game-servers/",
        "published_on": date(2015, 4, 16),
        "boilerplate": [
            "Skip to main content",
            "Gaming & Culture",
            "Front page layout",
            "White on black",
            "Sign up or login to join the discussions!",
            "Stay logged in",
            "reader comments",
            "51 posters participating",
            "Share this story",
            "Share on Facebook",
            "Dan is the Security Editor at Ars Technica",
            "dan.goodin@arstechnica.com",
            "login or create an account",
            "Previous story",
            "Related Stories",
            "Sponsored Stories",
            "Today on Ars",
            "Newsletter Signup",
            "All rights reserved",
            "Do Not Sell My Personal Information",
            "window.dataLayer",
        ],
    },
    "herald-sun-1": {
        "outlet": "HeraldSun",
        "byline": "Laurie Oakes",
        "url": "http://www.heraldsun.com.au/news/opinion/"
        "angry-media-wont-buckle-over-new-surveillance-laws/story-fni0fha6-1227261886014",
        "published_on": date(2015, 3, 13),
        "boilerplate": [
            "m.heraldsun.com.au",
            "Breaking News",
            "Law & Order",
            "Horoscopes",
            "Login using your social network",
            "Login with Facebook",
            "Forgot your password?",
            "Subscribe now to access Herald Sun.",
            "Read more",
            "Most Popular Stories",
            "Wife’s fury at hubby’s million dollar gamble",
            "Follow Us",
            "Back To Top",
            "Relevant Ads Opt-out",
            "Cookie Policy",
            "Copyright Herald and Weekly Times",
            "utag_data",
        ],
    },
}
NAMES = sorted(EXPECTED)


def assert_is_the_article(name: str, title: str, text: str) -> None:
    paragraphs = reference_paragraphs(name)
    assert len(paragraphs) >= 10  # the reference really was read
    found = blocks(text)
    assert title == reference_title(name)
    assert found[0] == title  # the headline heads the text, then the body
    positions = [found.index(paragraph) for paragraph in paragraphs]  # each its own block
    assert positions == sorted(positions)
    for boilerplate in EXPECTED[name]["boilerplate"]:
        assert boilerplate not in text, boilerplate


@pytest.mark.parametrize("name", NAMES)
def test_a_real_page_imports_as_one_article_with_its_body_and_without_its_furniture(db, name):
    out, _ = run_import(REAL / f"{name}.html")
    assert out.startswith("Imported 1 article")
    article = Article.objects.get()
    assert_is_the_article(name, article.title, article.text)
    expected = EXPECTED[name]
    assert (article.outlet, article.byline, article.url, article.published_on) == (
        expected["outlet"],
        expected["byline"],
        expected["url"],
        expected["published_on"],
    )
    assert article.language == "en"
    assert article.source_html == (REAL / f"{name}.html").read_text("utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_a_real_page_posted_as_html_becomes_the_same_article(editor_eve, api_as, name):
    response = post_page(api_as(editor_eve), (REAL / f"{name}.html").read_bytes())
    assert response.status_code == 201, response.content
    body = response.json()
    assert_is_the_article(name, body["title"], body["text"])
    assert body["published_on"] == EXPECTED[name]["published_on"].isoformat()
    assert Article.objects.count() == 1


def test_the_ars_dek_is_not_kept():
    """A known miss, stated rather than hidden: Readability keeps the Ars subtitle (an
    <h2 itemprop="description"> in the article header); trafilatura drops it with the
    header. It is not a <p>, so the paragraph comparison above does not ask for it."""
    page = decode_page((REAL / "ars-1.html").read_bytes())
    dek = "Two-year-old bug exposes thousands of servers to crippling attack."
    assert dek in one_line((REAL / "ars-1.expected.html").read_text("utf-8"))
    assert dek not in article_from_page(page).text


@pytest.mark.xfail(
    strict=True,
    reason="known miss: trafilatura keeps the Herald Sun's 'Other Opinion Columns' teasers "
    "(five headlines with their standfirsts, after the last paragraph); nothing in their "
    "markup (div.group > div.story-block) marks them as related links in a way it knows",
)
def test_the_herald_sun_related_columns_are_dropped():
    text = article_from_page(decode_page((REAL / "herald-sun-1.html").read_bytes())).text
    for teaser in ("Other Opinion Columns", "Fraser’s lasting legacy", "Starbeam Fantapants"):
        assert teaser not in text
