"""A saved web page → an article: its main text as blank-line separated paragraphs, and
its title, author, date, site name and canonical url.

trafilatura finds the main text and the metadata (JSON-LD, ``og:`` and ``article:`` tags,
the canonical link) and drops navigation, share bars, related-story lists, comments and
cookie banners. What it returns is a small XML tree (``<head>``, ``<p>``, ``<quote>``,
``<list>``, ``<table>``…); this module turns each block of it into one paragraph of the
article's text, because ``claims.text.segmentation`` reads a blank line as a paragraph break
and a line break as the end of a sentence. Everything comes out as plain text: markup,
scripts and event attributes are gone, and whatever the page showed as text (``&lt;b&gt;``)
is stored as those characters and escaped wherever it is shown.

No Django here: the importer and the API call it and check the fields as they check any
article's (``claims.validation``).
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import trafilatura
from lxml.etree import _Element

# Column widths of claims.models.Article: metadata is best effort, so a long author list
# or site name is cut to fit rather than refusing the article.
MAX_TITLE, MAX_BYLINE, MAX_OUTLET, MAX_URL = 500, 300, 200, 1000

# Look for a declared charset in the first bytes, as browsers do (the HTML standard's
# prescan reads 1,024 bytes; some pages put a long comment first).
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))

_SPACES = re.compile(r"[^\S\n]+")  # runs of white space other than a line break
_ANY_SPACES = re.compile(r"\s+")
_LANGUAGE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
# "Headline - Site", "Headline | Site": the <title>'s site suffix, cut when it names the site.
_SITE_SEPARATORS = (" - ", " | ", " – ", " — ", " · ", " :: ")
# The date some sites put after their name in the <title>: 19.01.2020, 2020-01-19, 1/19/2020.
_DATE = re.compile(r"\d{1,4}([./-])\d{1,2}\1\d{1,4}")

# Only the page's own metadata dates it: htmldate's "extensive search" would otherwise
# take any date-like text of the page (a footer, a comment) for the publication date.
_DATE_SEARCH = {"extensive_search": False, "original_date": True}


class UnreadablePage(ValueError):
    """The page cannot become an article; the message says why and what to do."""


@dataclass(frozen=True)
class PageArticle:
    title: str  # "" when the page names none
    text: str  # the headline (when there is one) as first line, then the paragraphs
    byline: str
    outlet: str
    url: str | None
    published_on: date | None
    language: str | None

    def fields(self) -> dict:
        """The fields ``services.article_import`` takes, the unknown ones left out."""
        given = {
            "title": self.title,
            "text": self.text,
            "byline": self.byline,
            "outlet": self.outlet,
            "url": self.url,
            "published_on": self.published_on,
            "language": self.language,
        }
        return {name: value for name, value in given.items() if value}


def decode_page(data: bytes, charset: str | None = None) -> str:
    """The page as text: in the charset it was served with, else the one its byte-order
    mark or ``<meta charset>`` declares, else UTF-8, else Windows-1252 (the web's legacy
    default, which decodes any byte)."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return _decode(data[len(mark) :], encoding, "its byte-order mark")
    if charset:
        return _decode(data, charset, "the request")
    if declared := _META_CHARSET.search(data[:_PRESCAN_BYTES]):
        name = declared.group(1).decode("ascii")
        try:
            return _decode(data, name, "its <meta charset>")
        except UnreadablePage:
            pass  # a wrong declaration is common: read it as browsers would
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _decode(data: bytes, encoding: str, said_by: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise UnreadablePage(
            f"the charset “{encoding[:40]}” named by {said_by} is unknown; save the page as UTF-8"
        ) from None
    except UnicodeDecodeError as error:
        raise UnreadablePage(
            f"the page is not valid {encoding} (as {said_by} says) at byte {error.start + 1}; "
            "save it as UTF-8"
        ) from None


def article_from_page(html: str, *, url: str | None = None) -> PageArticle:
    """The article in ``html``; ``url`` is where the page was fetched from, the url used
    when the page names no canonical one."""
    if "\x00" in html:
        raise UnreadablePage("the page contains NUL (\\x00) characters; it is not an HTML page")
    tree = trafilatura.load_html(html) if html.strip() else None
    if tree is None:
        raise UnreadablePage("this is not an HTML page (no <html> document could be read)")
    language = _language(tree.get("lang") or "")
    page_headlines = [_one_line(h1.text_content()) for h1 in tree.iter("h1")]
    organisations = _organisations(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        date_extraction_params=_DATE_SEARCH,
    )
    blocks = _blocks(document.body) if document is not None and document.body is not None else []
    sitename = _one_line(getattr(document, "sitename", None) or "")
    organisations = (organisations | {sitename.casefold()}) - {""}
    if blocks and blocks[0][0] == "h1" and blocks[0][1].casefold() in organisations:
        blocks = blocks[1:]  # the site's logo in an <h1>, not the story's headline
    headline = blocks[0][1] if blocks and blocks[0][0] == "h1" else ""
    paragraphs = [text for _, text in blocks[1:]] if headline else [text for _, text in blocks]
    if not paragraphs:
        raise UnreadablePage(
            "no article text was found in the page (only navigation, links or scripts); "
            "save the article's own page, with its text in the HTML"
        )
    title = headline or _title(document, tree, page_headlines, organisations)
    text = "\n\n".join([title, *paragraphs] if title else paragraphs)
    return PageArticle(
        title=title[:MAX_TITLE],
        text=text,
        byline=_people(_one_line(document.author or ""), organisations)[:MAX_BYLINE],
        outlet=sitename[:MAX_OUTLET],
        url=_web_url(document.url) or _web_url(url),
        published_on=_date(document.date),
        language=language,
    )


def _blocks(body: _Element) -> list[tuple[str, str]]:
    """(kind, text) of each top-level block; kind is "h1" for the page's headline."""
    blocks = []
    for element in body:
        if element.tag == "quote" and len(element) and element[0].tag == "p":
            pieces = [_text(child) for child in element]  # a block quote of paragraphs
        else:
            pieces = [_text(element)]
        kind = "h1" if element.tag == "head" and element.get("rend") == "h1" else element.tag
        blocks += [(kind, piece) for piece in pieces if piece]
        if kind == "h1" and len(blocks) > 1:
            blocks[-1] = ("head", blocks[-1][1])  # only a headline that comes first is one
    return blocks


# Elements that start a new line inside a block: a list's items, a table's rows, a line
# break; a table's cells are kept on their row's line.
_LINE_STARTS = {"lb", "item", "row", "p", "list"}


def _text(element: _Element) -> str:
    """The element's text, one line per line break, item or row, spaces collapsed."""
    parts: list[str] = []
    _collect(element, parts)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect(element: _Element, parts: list[str]) -> None:
    # A line break in the HTML source is a space on the page; only the elements above
    # break lines.
    parts.append(_ANY_SPACES.sub(" ", element.text or ""))
    for child in element:
        if child.tag in _LINE_STARTS:
            parts.append("\n")
        elif child.tag == "cell" and child.getprevious() is not None:
            parts.append(" | ")
        _collect(child, parts)
        parts.append(_ANY_SPACES.sub(" ", child.tail or ""))


def _one_line(value: str) -> str:
    return _SPACES.sub(" ", value.replace("\n", " ")).strip()


def _without_site_name(title: str, names: set[str]) -> str:
    """``title`` without a suffix naming the site ("Headline - Site"), and the date some
    sites add after it ("Headline | DW | 19.01.2020"); ``names``: the site's, case-folded."""
    head, cut = title, False
    while True:
        rest, tail = _last_part(head)
        if not rest:
            break
        if tail.casefold() in names:
            cut = True
        elif not _DATE.fullmatch(tail):
            break
        head = rest
    return head if cut else title


def _last_part(title: str) -> tuple[str, str]:
    """(before, after) the last site separator of ``title``; ("", title) when it has none."""
    found = max(_SITE_SEPARATORS, key=title.rfind)
    at = title.rfind(found)
    if at <= 0:
        return "", title
    return title[:at].strip(), title[at + len(found) :].strip()


def _title(document, tree: _Element, headlines: list[str], organisations: set[str]) -> str:
    """The title when trafilatura found no headline in the body: the page's <h1> its
    <title> starts with, else the <title> without the site's name."""
    title = _one_line(getattr(document, "title", None) or "")
    if title.casefold() in organisations:  # trafilatura took the logo's <h1> for it
        title = _one_line(tree.findtext(".//title") or "")
    return _headline_of(title, headlines, organisations) or _without_site_name(title, organisations)


def _headline_of(title: str, headlines: list[str], organisations: set[str]) -> str:
    """The page's <h1> that its <title> starts with ("Headline | DW | 19.01.2020"), when
    trafilatura left the headline out of the body: a <title> carries the site and, on some
    sites, the date, where the <h1> is the headline alone."""
    for headline in headlines:
        rest = title.removeprefix(headline)
        starts = headline and rest != title and (not rest or rest.startswith(_SITE_SEPARATORS))
        if starts and headline.casefold() not in organisations:  # not the site's logo
            return headline
    return ""


def _people(byline: str, organisations: set[str]) -> str:
    """The byline without the names of the publisher or the site: DW's author meta and
    JSON-LD name the broadcaster, which is where the article comes from, not who wrote it."""
    names = [name.strip() for name in byline.split(";")]
    return "; ".join(name for name in names if name and _organisation(name) not in organisations)


def _organisation(name: str) -> str:
    """The name compared with organisations: "Deutsche Welle (www.dw.com)" is Deutsche Welle."""
    return re.sub(r"\s*\([^)]*\)$", "", name).strip().casefold()


def _organisations(tree: _Element) -> set[str]:
    """Names the page gives itself: og:site_name, and its JSON-LD publishers and
    organisation authors, case-folded."""
    names = {_one_line(site) for site in tree.xpath("//meta[@property='og:site_name']/@content")}
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # broken JSON-LD is common and says nothing here
        names.update(_organisation_names(data))
    return {_organisation(name) for name in names if name}


def _organisation_names(data: object) -> Iterator[str]:
    """Each publisher's name, and each author's that is an Organization, in JSON-LD."""
    if isinstance(data, list):
        for item in data:
            yield from _organisation_names(item)
    elif isinstance(data, dict):
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        organisation = any(k in ("Organization", "NewsMediaOrganization") for k in kinds)
        if organisation and isinstance(data.get("name"), str):
            yield data["name"]
        for value in data.values():
            yield from _organisation_names(value)


def _web_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) address that fits the column, else None."""
    if not url or len(url) > MAX_URL or any(c.isspace() for c in url):
        return None
    scheme, _, rest = url.partition("://")
    return url if scheme.lower() in ("http", "https") and rest.strip("/") else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _language(lang: str) -> str | None:
    """The primary subtag of ``<html lang>`` ("en-GB" → "en"), as articles store it."""
    match = _LANGUAGE.match(lang.strip())
    return match.group(1).lower() if match else None
