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

from claims.importers.web_pages import article_from_page, decode_page
from claims.models import Article
from tests.api.test_html_articles_api import post_page
from tests.test_import_html import run_import

REAL = Path(__file__).resolve().parent / "fixtures" / "html" / "real"


def one_line(text: str) -> str:
    return " ".join(text.split())


def reference_paragraphs(name: str) -> list[str]:
    """The <p> paragraphs of the reference body, white space normalised. Left out: image
    captions (Readability keeps them, our import drops figures with their captions) and
    the dek, ``itemprop="description"`` (a known miss, see test_the_dek_is_not_kept)."""
    tree = lxml.html.fragment_fromstring((REAL / f"{name}.expected.html").read_text("utf-8"))
    paragraphs = tree.xpath("//p[not(contains(@class, 'caption')) and not(@itemprop)]")
    return [text for p in paragraphs if (text := one_line(p.text_content()))]


def reference_title(name: str) -> str:
    """The metadata's title, on one line, without what Readability keeps of the <title>
    after the headline (" | Herald Sun", " - 07.12.2017"; the article's title is the headline)."""
    metadata = json.loads((REAL / f"{name}.expected-metadata.json").read_text("utf-8"))
    title = one_line(metadata["title"])
    assert title.endswith(EXPECTED[name]["title_suffix"])
    return title.removesuffix(EXPECTED[name]["title_suffix"])


def blocks(text: str) -> list[str]:
    return [one_line(block) for block in text.split("\n\n")]


EXPECTED = {
    "ars-1": {
        "title_suffix": "",
        "language": "en",
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
        "title_suffix": " | Herald Sun",
        "language": "en",
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
    # A Spanish opinion column: the page names no author, date or language in its markup
    # (<html> has no lang; the byline is in the last paragraph), so those stay empty, and
    # the article takes the importer's default language, "en": wrong for this page, a
    # known miss (the import does not guess a language from the text).
    "la-nacion": {
        "title_suffix": " - 07.12.2017",
        "language": "en",
        "outlet": "LA NACION",
        "byline": "",
        "url": "http://www.lanacion.com.ar/2089096-una-solucion-no-violenta-para-la-cuestion-mapuche",
        "published_on": None,
        "boilerplate": [
            "Si usted es una persona con dificultades",
            "MENÚ",
            "Últimas Noticias",
            "Suscribite",
            "Dólar hoy",
            "Loterías y quinielas",
            "LA NACION en versión sólo texto",
            "Recibí por mail",
            "Más sobre",
            "Enviá tu comentario",
            "Los comentarios publicados son de exclusiva responsabilidad",
            "Las más leídas",
            "criptogatos",
            "Mapa del sitio",
            "Todos los derechos reservados",
            "Miembro de GDA",
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
    assert article.language == expected["language"]
    assert article.source_html == (REAL / f"{name}.html").read_text("utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_a_real_page_posted_as_html_becomes_the_same_article(editor_eve, api_as, name):
    response = post_page(api_as(editor_eve), (REAL / f"{name}.html").read_bytes())
    assert response.status_code == 201, response.content
    body = response.json()
    assert_is_the_article(name, body["title"], body["text"])
    published_on = EXPECTED[name]["published_on"]
    assert body["published_on"] == (published_on.isoformat() if published_on else None)
    assert Article.objects.count() == 1


@pytest.mark.parametrize("name", ["ars-1", "la-nacion"])
def test_the_dek_is_not_kept(name):
    """A known miss, stated rather than hidden: Readability keeps the subtitle under the
    headline (``itemprop="description"``: an <h2> at Ars, a <p> at La Nación); trafilatura
    drops it with the article header. The paragraph comparison above leaves it out."""
    reference = lxml.html.fragment_fromstring((REAL / f"{name}.expected.html").read_text("utf-8"))
    dek = one_line(reference.xpath("//*[@itemprop='description']")[0].text_content())
    assert len(dek) > 40
    text = one_line(article_from_page(decode_page((REAL / f"{name}.html").read_bytes())).text)
    assert dek not in text


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
