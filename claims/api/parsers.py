"""Request body parsers that hold every body to ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

Django enforces the limit when a body is read through ``request.body`` (which recent DRF
does for JSON and forms); a parser reading the stream itself, as the plain-text and HTML
ones must, would hold any amount of memory. These read at most limit + 1 bytes and answer
413, naming the limit, when there is more; ``claims.api.errors`` turns Django's own
refusal into the same 413.
"""

import io

from django.conf import settings
from django.utils.http import parse_header_parameters
from rest_framework import parsers, status
from rest_framework.exceptions import APIException

from claims.importers.web_pages import UnreadablePage, decode_page


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def too_large() -> RequestTooLarge:
    return RequestTooLarge(
        f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes "
        "(DATA_UPLOAD_MAX_MEMORY_SIZE); send less, or ask the administrator to raise the limit."
    )


def read_bounded(stream, parser_context) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large()  # refused before reading a byte of it
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise too_large()
    return body


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = read_bounded(stream, parser_context)
        return super().parse(io.BytesIO(body), media_type, parser_context)


class PlainTextParser(parsers.BaseParser):
    """Lets ``curl --data-binary @story.txt -H 'Content-Type: text/plain'`` create an article."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        charset = parse_header_parameters(media_type or self.media_type)[1].get("charset", "utf-8")
        body = read_bounded(stream, parser_context)
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeDecodeError) as error:
            raise parsers.ParseError(
                f"The text could not be read as {charset}: {error}; send UTF-8 or name the charset."
            ) from None
        title, _, _ = text.lstrip().partition("\n")
        return {"title": title.strip()[:500], "text": text}


class HtmlParser(parsers.BaseParser):
    """Lets ``curl --data-binary @page.html -H 'Content-Type: text/html'`` create an article
    from a saved web page. Read as a browser would (the charset sent, else the page's own
    ``<meta charset>``, else UTF-8); the article is extracted by the view's serializer."""

    media_type = "text/html"

    def parse(self, stream, media_type=None, parser_context=None):
        charset = parse_header_parameters(media_type or self.media_type)[1].get("charset")
        body = read_bounded(stream, parser_context)
        try:
            return {"html": decode_page(body, charset)}
        except UnreadablePage as error:
            raise parsers.ParseError(f"The page could not be read: {error}.") from None
