"""Saved web pages → articles (claims.importers.web_pages), without a database.

The fixtures (tests/fixtures/html/, see its README) carry the seed article's text inside
four publishers' layouts: every body paragraph must come out intact, as a blank-line
separated block, in order, and every piece of boilerplate must be gone.
"""

from datetime import date
from pathlib import Path

import pytest

from claims.importers.web_pages import UnreadablePage, article_from_page, decode_page

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "articles" / "blinken-beijing-2023.txt"
SEED_PARAGRAPHS = SEED.read_text(encoding="utf-8").split("\n\n")
HEADLINE = SEED_PARAGRAPHS[0]
# The seed's story paragraphs; the rest of the seed is a video embed and its credit, a
# related link, photo captions and the site's "Follow…" and "Leave a Comment" lines.
BODY = [SEED_PARAGRAPHS[i] for i in (1, 2, 3, 4, 5, 8, 10, 11, 12, 13, 14, 15, 16, 19, 20, 21, 22)]
WIRE_DATELINE = "WASHINGTON, June 19 (Reuters) - "


def page(name: str) -> str:
    return decode_page((PAGES / name).read_bytes())


def blocks(text: str) -> list[str]:
    return text.split("\n\n")


EXPECTED = {
    "bbc-style.html": {
        "outlet": "BBC News",
        "url": "https://www.bbc.co.uk/news/world-asia-china-65950312",
        "published_on": date(2023, 6, 20),
        "boilerplate": [
            "Let us know you agree to cookies",
            "Yes, I agree",
            "Skip to content",
            "iPlayer",
            "Entertainment & Arts",
            "Share this page",
            "Copy link",
            "Chinese spy balloon: What we know so far",
            "Related Topics",
            "More on this story",
            "Blinken meets Xi in bid to ease soaring tensions",
            "48 comments",
            "Talking is always better than not talking",
            "Another trip that achieved very little",
            "Top Stories",
            "Heatwave warning",
            "Most read",
            "The BBC is not responsible for the content of external sites",
            "Terms of Use",
            "bbcpage",
            "window.dotcom",
            "By Kristina Wong",
            "BBC News, Washington",
        ],
        "also_kept": [],
    },
    "wire-style.html": {
        "outlet": "Reuters",
        "url": "https://www.reuters.com/world/china/"
        "blinken-fails-resume-us-china-military-communications-2023-06-19/",
        "published_on": date(2023, 6, 19),
        "boilerplate": [
            "We and our partners use cookies",
            "Accept All Cookies",
            "Cookie Settings",
            "Breakingviews",
            "Sign In",
            "Asia Pacific",
            "Share on Facebook",
            "Copy Link",
            "Purchase Licensing Rights",
            "Advertisement",
            "Scroll to continue",
            "Read Next",
            "Pentagon chief Austin says U.S. will keep trying",
            "More from Reuters",
            "A timeline of U.S.-China tensions",
            "Get the Reuters app",
            "All quotes delayed",
            "All rights reserved",
            "Fusion",
            "do not show",
        ],
        # A wire story's sign-off credits its reporters and editors: it is the story's own.
        # The trust line after it is a leftover trafilatura keeps (it sits in the story's
        # container). The segmenter marks both as boilerplate (tests/test_import_html.py).
        "also_kept": [
            "Reporting by Kristina Wong; Editing by Don Durfee and Jonathan Oatis",
            "Our Standards: The Thomson Reuters Trust Principles.",
        ],
    },
    "wordpress-local.html": {
        "outlet": "Millbrook Courier",
        "url": "https://millbrookcourier.com/2023/06/20/"
        "antony-blinken-fails-to-resume-us-china-military-communications/",
        "published_on": date(2023, 6, 20),
        "boilerplate": [
            "This website uses cookies",
            "ACCEPT",
            "Local news for the Millbrook valley",
            "Obituaries",
            "Subscribe to the print edition",
            "Share this:",
            "Print",
            "Valley veterans weigh in on Pacific tensions",
            "School board approves Mandarin program",
            "Posted in",
            "Tagged",
            "Previous Post",
            "Route 9 bridge closed for repairs",
            "3 thoughts on",
            "My grandson is stationed in Okinawa",
            "Why is the Courier printing national wire stories",
            "Leave a Reply",
            "Your email address will not be published",
            "Recent Posts",
            "Library extends summer hours",
            "Archives",
            "Powered by",
            "_stq",
            "Millbrook Courier",  # the <title>'s site suffix is cut from the headline
        ],
        # An inline link to another story is kept as its own paragraph; the segmenter
        # marks it as boilerplate, as it does the seed's "Watch:" and "Flashback" lines.
        "also_kept": ["RELATED: Residents report seeing the balloon over Millbrook"],
    },
    "amp-page.html": {
        "outlet": "Breitbart",
        "url": "https://www.breitbart.com/national-security/2023/06/19/"
        "antony-blinken-fails-to-resume-us-china-military-communications/",
        "published_on": date(2023, 6, 19),
        "boilerplate": [
            "We use cookies and other tracking technologies",
            "Reject",
            "Entertainment",
            "Menu",
            "5062 shares",
            "Advertisement",
            "Related Stories",
            "Blinken Arrives in Beijing for First Visit",
            "Chinese Warship Cuts Across Bow",
            "821 comments",
            "Leave a Comment",
            "Terms of Use",
            "View the full site",
            "UA-000000-1",
            "amp-start",
        ],
        # The seed's own page furniture, inside the story's markup: kept as paragraphs,
        # which the segmenter marks as boilerplate and a video credit.
        "also_kept": [SEED_PARAGRAPHS[6], SEED_PARAGRAPHS[7], SEED_PARAGRAPHS[23]],
    },
}


@pytest.mark.parametrize("name", EXPECTED)
def test_every_body_paragraph_survives_intact_and_in_order(name):
    text = article_from_page(page(name)).text
    body = [WIRE_DATELINE + BODY[0], *BODY[1:]] if name == "wire-style.html" else BODY
    found = [block for block in blocks(text) if block in body]
    assert found == body


@pytest.mark.parametrize("name", EXPECTED)
def test_the_headline_is_the_first_line_and_nothing_else_is_kept(name):
    text = article_from_page(page(name)).text
    body = {WIRE_DATELINE + BODY[0], *BODY}
    assert blocks(text)[0] == HEADLINE
    assert [b for b in blocks(text)[1:] if b not in body] == EXPECTED[name]["also_kept"]


@pytest.mark.parametrize("name", EXPECTED)
def test_boilerplate_is_gone(name):
    text = article_from_page(page(name)).text
    assert [piece for piece in EXPECTED[name]["boilerplate"] if piece in text] == []


@pytest.mark.parametrize("name", EXPECTED)
def test_metadata_is_read_from_the_page(name):
    article = article_from_page(page(name))
    expected = EXPECTED[name]
    assert article.title == HEADLINE
    assert article.byline == "Kristina Wong"
    assert article.outlet == expected["outlet"]
    assert article.url == expected["url"]
    assert article.published_on == expected["published_on"]
    assert article.language == "en"


def test_a_title_suffix_naming_the_site_is_cut_but_not_other_dashes():
    html = (
        "<html lang='en-US'><head><title>Water rates rise - a first in years - Valley Post"
        "</title><meta property='og:site_name' content='Valley Post'></head><body><article>"
        "<p>The council voted on Tuesday to raise water rates by four percent.</p>"
        "<p>It is the first rise in six years, the council said.</p></article></body></html>"
    )
    article = article_from_page(html)
    assert article.title == "Water rates rise - a first in years"
    assert blocks(article.text)[0] == article.title
    assert article.outlet == "Valley Post"


def test_line_breaks_lists_tables_and_subheads_keep_their_shape():
    html = """<html lang="de-AT"><body><article>
      <h1>Election results</h1>
      <p>Turnout was high across the region on Sunday, officials said.<br>Counting ended at
         midnight.</p>
      <h2>How the parties did</h2>
      <table><tr><th>Party</th><th>Seats</th></tr><tr><td>Greens</td><td>12</td></tr></table>
      <ul><li>The mayor kept her seat.</li><li>Two councillors retired.</li></ul>
      <p>The new council meets in June, when it will elect a speaker for the next term.</p>
    </article></body></html>"""
    article = article_from_page(html)
    assert blocks(article.text) == [
        "Election results",
        "Turnout was high across the region on Sunday, officials said.\nCounting ended at "
        "midnight.",
        "How the parties did",
        "Party | Seats\nGreens | 12",
        "The mayor kept her seat.\nTwo councillors retired.",
        "The new council meets in June, when it will elect a speaker for the next term.",
    ]
    assert article.language == "de"


def test_scripts_styles_and_event_attributes_never_reach_the_text():
    html = """<html><head><script>alert("head")</script><style>p{color:red}</style></head>
      <body onload="alert('body')"><nav><a href="/">Home</a></nav><article>
      <h1>Council approves the budget</h1>
      <p onclick="alert('click')">The council met on <b onmouseover="steal()">Monday</b>
         and <img src=x onerror="alert('img')">approved next year's budget after a long debate.</p>
      <script>document.write("<p>injected paragraph</p>")</script>
      <noscript><p>Enable JavaScript to read the comments.</p></noscript>
      <p>A reader wrote &lt;script&gt;alert(1)&lt;/script&gt; in the comment box, and the
         council's website showed it as text.</p>
      <p>The mayor said the budget keeps taxes flat while paying for two fire engines.</p>
      <iframe src="javascript:alert('frame')"></iframe>
      </article></body></html>"""
    text = article_from_page(html).text
    assert blocks(text) == [
        "Council approves the budget",
        "The council met on Monday and approved next year's budget after a long debate.",
        # What the page showed as text is kept as text (and escaped wherever it is shown).
        "A reader wrote <script>alert(1)</script> in the comment box, and the council's "
        "website showed it as text.",
        "The mayor said the budget keeps taxes flat while paying for two fire engines.",
    ]
    for leftover in ('alert("head")', "color:red", "alert('", "steal", "injected", "JavaScript"):
        assert leftover not in text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "just some words, not a page",
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        # An application shell that loads the story with JavaScript.
        "<html><body><div id='root'></div><script>render(story)</script></body></html>",
        "<html><head><title>Only a title</title></head><body></body></html>",
    ],
)
def test_a_page_without_main_text_is_refused_with_what_to_do(html):
    with pytest.raises(UnreadablePage, match="no article text|not an HTML page"):
        article_from_page(html)


def test_a_nul_character_is_refused():
    with pytest.raises(UnreadablePage, match="NUL"):
        article_from_page("<html><body><p>Text\x00 here, long enough.</p></body></html>")


def test_the_given_url_stands_in_when_the_page_names_no_usable_canonical_url():
    html = (
        "<html><head><link rel='canonical' href='javascript:alert(1)'></head><body><article>"
        "<p>The bridge reopened on Friday after eight months of repairs, the county said.</p>"
        "</article></body></html>"
    )
    assert article_from_page(html, url="https://news.example/bridge").url == (
        "https://news.example/bridge"
    )
    assert article_from_page(html).url is None


def test_decoding_follows_the_charset_sent_then_the_meta_then_utf8():
    latin = "<html><head><meta charset='windows-1252'></head><body>Café</body></html>"
    assert decode_page(latin.encode("cp1252")).endswith("Café</body></html>")
    assert decode_page("Café".encode("cp1252"), "iso-8859-1") == "Café"
    assert decode_page("Café".encode()) == "Café"
    assert decode_page(b"\xef\xbb\xbfCaf\xc3\xa9") == "Café"  # the byte-order mark goes
    # A page whose meta lies about its charset is read as UTF-8, as browsers recover.
    lying = "<meta charset='ascii'><p>Café</p>".encode()
    assert decode_page(lying).endswith("Café</p>")
    assert decode_page("Café".encode("cp1252")) == "Café"  # neither: the web's default


def test_a_charset_sent_that_is_unknown_or_wrong_is_refused_by_name():
    with pytest.raises(UnreadablePage, match="“klingon” named by the request is unknown"):
        decode_page(b"<p>x</p>", "klingon")
    with pytest.raises(UnreadablePage, match="not valid utf-8 .* at byte 4"):
        decode_page(b"Caf\xe9", "utf-8")


DW_HEADLINE = "Berlin conference: Leaders pledge to respect Libya arms embargo"


def test_the_pages_own_headline_wins_over_a_title_with_the_site_and_date():
    # DW's <title> and og:title are "Headline | DW | 19.01.2020"; its <h1> is the headline.
    article = article_from_page(page("metadata/dw-style.html"))
    assert article.title == DW_HEADLINE
    assert blocks(article.text)[0] == DW_HEADLINE
    assert "19.01.2020" not in blocks(article.text)[0]
    assert article.published_on == date(2020, 1, 19)


def test_the_publisher_is_not_taken_for_the_author():
    # DW's author meta and its JSON-LD author name the broadcaster, not a reporter.
    article = article_from_page(page("metadata/dw-style.html"))
    assert article.byline == ""
    assert article.outlet == "Deutsche Welle"


def test_a_reporter_named_beside_the_publisher_is_kept():
    html = (
        page("metadata/dw-style.html")
        .replace(
            '"author":{"@type":"Organization","name":"Deutsche Welle"}',
            '"author":[{"@type":"Person","name":"Lena Hartmann"},'
            '{"@type":"Organization","name":"Deutsche Welle"}]',
        )
        .replace('<meta name="author" content="Deutsche Welle">', "")
    )
    assert article_from_page(html).byline == "Lena Hartmann"


def test_a_site_logo_in_an_h1_is_not_taken_for_the_headline():
    html = (
        "<html lang='en'><head><title>Water rates rise again | Valley Post</title>"
        "<meta property='og:site_name' content='Valley Post'></head><body>"
        "<header><h1>Valley Post</h1></header><article>"
        "<p>The council voted on Tuesday to raise water rates by four percent.</p>"
        "<p>It is the first rise in six years, the council said.</p></article></body></html>"
    )
    assert article_from_page(html).title == "Water rates rise again"


def test_a_title_suffix_of_site_and_date_is_cut_when_there_is_no_h1():
    html = page("metadata/dw-style.html").replace("<h1>", "<p class='headline'>")
    html = html.replace("</h1>", "</p>")
    assert article_from_page(html).title == DW_HEADLINE


@pytest.mark.parametrize(
    "title",
    [
        "Valley Post | Water rates rise again",  # the site first: its <h1> is no headline
        "Water rates rise again | 19.01.2020",  # a date alone is not the site's suffix
    ],
)
def test_an_h1_or_a_date_that_is_not_the_headline_is_left(title):
    html = (
        f"<html lang='en'><head><title>{title}</title>"
        "<meta property='og:site_name' content='Valley Post'></head><body>"
        "<header><h1>Valley Post</h1></header><article>"
        "<p>The council voted on Tuesday to raise water rates by four percent.</p>"
        "<p>It is the first rise in six years, the council said.</p></article></body></html>"
    )
    assert article_from_page(html).title == title
