"""What the browser tests do on the workspace page: find text, drag over it, read state."""

from django.urls import reverse

# A DOM Range over UTF-16 positions of the article text, however highlights split it.
RANGE_AT = """
(from, to) => {
  const root = document.querySelector('[data-article-text]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0, node, started = false;
  while ((node = walker.nextNode())) {
    const length = node.data.length;
    if (!started && from <= seen + length) { range.setStart(node, from - seen); started = true; }
    if (to <= seen + length) { range.setEnd(node, to - seen); break; }
    seen += length;
  }
  return range;
}
"""
# The client rectangles of the only occurrence of a text (for real mouse drags).
FIND_RECTS = f"""
(quote) => {{
  const root = document.querySelector('[data-article-text]');
  const start = root.textContent.indexOf(quote);
  if (start < 0 || root.textContent.indexOf(quote, start + 1) >= 0) {{
    throw new Error('not once: ' + quote);
  }}
  const range = ({RANGE_AT})(start, start + quote.length);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  return {{first: rects[0].toJSON(), last: rects[rects.length - 1].toJSON()}};
}}
"""
# Put the selection at exact UTF-16 positions, as a mouse would leave it, and let go.
SELECT_UTF16 = f"""
([from, to]) => {{
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(({RANGE_AT})(from, to));
  const root = document.querySelector('[data-article-text]');
  root.dispatchEvent(new MouseEvent('mouseup', {{bubbles: true}}));
}}
"""


def workspace_path(article) -> str:
    return reverse("admin:claims_article_annotate", args=[article.pk])


def drag_over(page, quote: str, *, wait_for_form: bool = True) -> None:
    """Select ``quote`` with a real mouse drag, from its first letter to its last
    (``wait_for_form=False``: for a test that asks whether the form opens at all)."""
    rects = page.evaluate(FIND_RECTS, quote)
    first, last = rects["first"], rects["last"]
    page.mouse.move(first["x"] + 1, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] - 1, last["y"] + last["height"] / 2, steps=8)
    page.mouse.up()
    # The page opens the tag form a tick after the mouse is let go (it lets the selection
    # settle first). A person sees the form before pressing a key; a test must wait for it
    # too, or its key lands before the form is open and no error type is chosen.
    if wait_for_form:
        page.wait_for_selector("[data-tag-form]:not([hidden])")


def select_utf16(page, start: int, end: int) -> None:
    page.evaluate(SELECT_UTF16, [start, end])


def key_for(page, slug: str) -> str:
    """The key shown on an error type's button (taxonomy order decides it, not the test)."""
    return page.locator(f'[data-error-type="{slug}"] kbd').inner_text()


def mark_page(page) -> None:
    """A flag that a page load would wipe: the tests check it survives each save."""
    page.evaluate("window.__noReload = true")


def not_reloaded(page) -> bool:
    return page.evaluate("window.__noReload === true")


def wait_for_saved_tag(page) -> None:
    """Wait for a saved highlight; if the form shows an error instead, fail with its text."""
    page.wait_for_selector("[data-annotation-id], [data-form-error]:not([hidden])")
    error = page.locator("[data-form-error]:not([hidden])")
    assert not error.count(), f"the tag form says: {error.inner_text()}"
