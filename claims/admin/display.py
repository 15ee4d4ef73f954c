"""How long values show in the admin's lists, so that a list fits a 1,400-pixel window.

Text is escaped here (``format_html``); the full value stays in the ``title`` attribute,
shown on hover and read by screen readers.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString


def clipped(text: str) -> SafeString:
    """One line, cut by CSS (``.fc-clip``) where the column ends: for values repeated on
    every row, such as an article's title, which must not take the width from the rest."""
    return format_html('<span class="fc-clip" title="{}">{}</span>', text, text)


def shortened(text: str, limit: int) -> SafeString:
    """At most ``limit`` characters, wrapping (even inside a long url, ``.fc-text``), with
    the whole text on hover when it is cut."""
    if len(text) <= limit:
        return format_html('<span class="fc-text">{}</span>', text)
    return format_html(
        '<span class="fc-text" title="{}">{}…</span>', text, text[: limit - 1].rstrip()
    )


def short_date(moment) -> SafeString | str:
    """The day (2026-11-28), with the full date and time on hover."""
    if moment is None:
        return "-"
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return format_html(
        '<time class="fc-date" datetime="{}" title="{}">{}</time>',
        moment.isoformat(),
        date_format(moment, "DATETIME_FORMAT"),
        moment.strftime("%Y-%m-%d"),
    )
