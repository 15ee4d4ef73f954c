"""import_articles with saved web pages: .html files, file:// and http(s) addresses.

The http tests fetch from a server on 127.0.0.1 started here (the machine has no web).
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, ArticleRevision, Claim
from tests.test_saved_pages import BODY, HEADLINE, PAGES, SEED_PARAGRAPHS

FIXTURES = sorted(PAGES.glob("*.html"))


def run_import(*arguments):
    out, err = StringIO(), StringIO()
    call_command("import_articles", *map(str, arguments), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failed_import(*arguments) -> str:
    """What the command reports on stderr when some input failed (it exits non-zero)."""
    err = StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("import_articles", *map(str, arguments), stdout=StringIO(), stderr=err)
    return f"{err.getvalue()}{refusal.value}"


def a_page(title: str, *paragraphs: str, head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html lang='en'><head>{head}</head><body><nav><a href='/'>Home</a> "
        f"<a href='/local'>Local</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>© 2023 The Valley Post</footer></body></html>"
    )


STORY = [
    "The county reopened the Route 9 bridge on Friday after eight months of repairs.",
    "Engineers replaced the deck and two of the four piers, the county said.",
    "Traffic is expected to return to normal by Monday, officials added.",
]


def test_each_saved_page_imports_as_one_article_with_its_metadata_and_page(db):
    out, _ = run_import(*FIXTURES)
    assert out.startswith("Imported 4 articles (")
    for path in FIXTURES:
        html = path.read_text(encoding="utf-8")
        article = Article.objects.get(source_html=html)
        assert article.title == HEADLINE
        assert article.byline == "Kristina Wong"
        assert article.url.startswith("https://")
        assert article.published_on is not None
        claims = list(article.claims.order_by("order"))
        assert (claims[0].text, claims[0].kind) == (HEADLINE, Claim.Kind.HEADING)
        for claim in claims:
            assert article.text[claim.start : claim.end] == claim.text
        # Paragraphs are blank-line separated blocks: each body paragraph is claims of one
        # paragraph number, and the claims of that number are exactly that paragraph.
        for paragraph in BODY[1:]:
            start = article.text.index(f"\n\n{paragraph}") + 2
            holding = [c for c in claims if start <= c.start < start + len(paragraph)]
            assert len({c.paragraph for c in holding}) == 1
            same = [c for c in claims if c.paragraph == holding[0].paragraph]
            assert same == holding
            assert holding[-1].end == start + len(paragraph)


def test_page_furniture_inside_the_story_becomes_boilerplate_claims(db):
    run_import(PAGES / "amp-page.html", PAGES / "wordpress-local.html")
    kinds = dict(Claim.objects.values_list("text", "kind"))
    assert kinds[SEED_PARAGRAPHS[6]] == Claim.Kind.BOILERPLATE  # "Watch: …"
    assert kinds[SEED_PARAGRAPHS[7]] == Claim.Kind.CAPTION  # the video's credit
    assert kinds[SEED_PARAGRAPHS[23]] == Claim.Kind.BOILERPLATE  # "Follow … on Twitter"
    assert kinds["RELATED: Residents report seeing the balloon over Millbrook"] == "boilerplate"


def test_a_wire_storys_sign_off_and_trust_line_become_boilerplate_claims(db):
    run_import(PAGES / "wire-style.html")
    kinds = dict(Claim.objects.values_list("text", "kind"))
    sign_off = "Reporting by Kristina Wong; Editing by Don Durfee and Jonathan Oatis"
    assert kinds[sign_off] == Claim.Kind.BOILERPLATE
    assert kinds["Our Standards: The Thomson Reuters Trust Principles."] == "boilerplate"


def test_a_page_imported_twice_is_already_stored(db):
    run_import(PAGES / "bbc-style.html")
    out, _ = run_import(PAGES / "bbc-style.html", f"file://{PAGES / 'bbc-style.html'}")
    assert out.startswith("Imported 0 articles (0 claims), 2 already stored, 0 failed.")
    assert Article.objects.count() == 1


def test_a_file_address_is_read_as_a_page_whatever_its_name(db, tmp_path):
    saved = tmp_path / "story.php"
    saved.write_text(a_page("Bridge reopens", *STORY), encoding="utf-8")
    out, _ = run_import(saved.as_uri())
    article = Article.objects.get()
    assert article.text == "\n\n".join(["Bridge reopens", *STORY])
    assert article.url is None  # a file is no address a reader could follow
    assert article.source_html == saved.read_text(encoding="utf-8")
    assert out.startswith("Imported 1 article")


@pytest.mark.parametrize("name", ["story.htm", "STORY.HTML"])
def test_htm_and_upper_case_names_are_pages_too(db, tmp_path, name):
    (tmp_path / name).write_text(a_page("Bridge reopens", *STORY), encoding="utf-8")
    run_import(tmp_path / name)
    assert Article.objects.get().title == "Bridge reopens"


def test_a_page_without_article_text_fails_by_name_and_saves_nothing(db, tmp_path):
    index = tmp_path / "index.html"
    index.write_text("<html><body><nav><a href='/a'>A</a> <a href='/b'>B</a></nav></body></html>")
    report = failed_import(index, PAGES / "bbc-style.html")
    assert f"{index}: no article text was found in the page" in report
    assert "Imported 1 article" in report and "1 failed" in report
    assert list(Article.objects.values_list("outlet", flat=True)) == ["BBC News"]


def test_a_page_over_the_size_limit_is_refused_naming_the_limit(db, tmp_path, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000
    report = failed_import(PAGES / "bbc-style.html")
    assert "the page is over 5,000 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)" in report
    assert not Article.objects.exists()


def test_a_page_whose_text_is_over_the_article_limit_is_refused(db, settings):
    settings.FACTCHECK_MAX_ARTICLE_CHARS = 1_000
    report = failed_import(PAGES / "bbc-style.html")
    assert "the limit is 1,000 (FACTCHECK_MAX_ARTICLE_CHARS)" in report
    assert not Article.objects.exists()
    assert not Claim.objects.exists()


def test_an_address_of_another_kind_is_refused(db):
    report = failed_import("ftp://files.example/story.html")
    assert "cannot fetch “ftp” addresses; use file://, http:// or https://" in report


def test_update_replaces_the_saved_page_with_the_one_the_new_text_came_from(
    db, tmp_path, editor_eve
):
    head = "<link rel='canonical' href='https://valleypost.example/bridge'>"
    first, second = tmp_path / "v1.html", tmp_path / "v2.html"
    first.write_text(a_page("Bridge reopens", *STORY, head=head), encoding="utf-8")
    second.write_text(
        a_page("Bridge reopens", *STORY[:2], "Traffic returned to normal on Saturday.", head=head),
        encoding="utf-8",
    )
    run_import(first)
    out, _ = run_import(second, "--update", "--by", editor_eve.username)
    article = Article.objects.get()
    assert "revised" in out
    assert article.text.endswith("Traffic returned to normal on Saturday.")
    assert article.source_html == second.read_text(encoding="utf-8")
    assert ArticleRevision.objects.get().text.endswith(STORY[2])


# ---- http(s): a server on this machine ---------------------------------------------------


class Pages(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self):  # noqa: N802 (the standard library's name)
        status, content_type, body = self.routes.get(self.path, (404, "text/html", b"gone"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def web():
    """A web server on 127.0.0.1; set ``Pages.routes`` to what it serves."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    Pages.routes = {}


def test_a_page_is_fetched_over_http_and_its_address_stands_in_for_a_canonical_one(db, web):
    # Served as Windows-1251 by the header alone: no <meta charset> in the page, and read
    # as UTF-8 or Windows-1252 (the fallbacks) it would be mojibake.
    page = a_page("Мост открыт", "Мост на трассе 9 открыли в пятницу после ремонта.", *STORY)
    Pages.routes = {"/news/bridge": (200, "text/html; charset=windows-1251", page.encode("cp1251"))}
    run_import(f"{web}/news/bridge")
    article = Article.objects.get()
    assert article.title == "Мост открыт"
    assert "Мост на трассе 9 открыли в пятницу" in article.text
    assert article.url == f"{web}/news/bridge"
    assert article.source_html == page


def test_fetch_failures_are_named_and_save_nothing(db, web):
    Pages.routes = {
        "/feed.json": (200, "application/json", b'{"items": []}'),
        "/empty": (200, "text/html", b"<html><body><nav>Home</nav></body></html>"),
    }
    report = failed_import(f"{web}/missing", f"{web}/feed.json", f"{web}/empty")
    assert f"{web}/missing: the server answered 404 Not Found" in report
    assert f"{web}/feed.json: the address answered with application/json, not an HTML page" in (
        report
    )
    assert f"{web}/empty: no article text was found in the page" in report
    assert "3 failed" in report
    assert not Article.objects.exists()


def test_a_fetched_page_over_the_limit_is_refused_without_reading_it_all(db, web, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000
    Pages.routes = {"/big": (200, "text/html", Path(PAGES / "bbc-style.html").read_bytes())}
    report = failed_import(f"{web}/big")
    assert f"{web}/big: the page is over 5,000 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)" in report
    assert not Article.objects.exists()
