"""List pages fit a 1,400-pixel window (checked by eye on headless Chromium screenshots
at that width): the structure that makes them fit is pinned here. A title repeated on every row
is one clipped line with the whole title on hover; long texts wrap; dates are short."""

import re

import pytest
from django.urls import reverse

from claims import services
from tests.factories import annotate, assign

LONG_TITLE = (
    "An extraordinarily long headline about maritime boundaries, fishing rights and the "
    "future of the regional security architecture in the Pacific & beyond"
)


@pytest.fixture
def long_story(editor_eve, reviewer_ann):
    text = f"{LONG_TITLE}\n\nOfficials said the <b>talks</b> failed. Another sentence follows.\n"
    story = services.article_import(title=LONG_TITLE, text=text).article
    assign(story, reviewer_ann, editor_eve)
    claim = story.claims.get(order=1)
    annotate(claim, reviewer_ann, "talks", correction="negotiations " * 12)
    services.verdict_set(claim=claim, reviewer=reviewer_ann, label="inaccurate")
    return story


def cells(html: str, field: str) -> list[str]:
    return re.findall(rf'<t[dh] class="field-{field}[^"]*">(.*?)</t[dh]>', html, re.S)


@pytest.mark.parametrize(
    ("changelist", "article_field"),
    [
        ("claims_claim_changelist", "article_title"),
        ("claims_annotation_changelist", "claim_article"),
    ],
)
def test_article_title_is_one_clipped_line_with_the_title_on_hover(
    client, editor_eve, long_story, changelist, article_field
):
    client.force_login(editor_eve)
    html = client.get(reverse(f"admin:{changelist}")).content.decode()
    escaped = LONG_TITLE.replace("&", "&amp;")
    assert cells(html, article_field) and all(
        cell == f'<span class="fc-clip" title="{escaped}">{escaped}</span>'
        for cell in cells(html, article_field)
    )
    assert 'class="field-article nowrap"' not in html  # a foreign key column never wraps


def test_claim_text_wraps_and_long_texts_are_shortened_with_the_whole_on_hover(
    client, editor_eve, long_story
):
    client.force_login(editor_eve)
    claims = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    statement = "Officials said the &lt;b&gt;talks&lt;/b&gt; failed."
    assert any(
        f'<span class="fc-text">{statement}</span>' in cell for cell in cells(claims, "short_text")
    )
    annotations = client.get(reverse("admin:claims_annotation_changelist")).content.decode()
    (correction,) = cells(annotations, "short_correction")
    assert correction.startswith(f'<span class="fc-text" title="{"negotiations " * 12}">')
    assert correction.endswith("…</span>") and len(correction) < 300
    (updated,) = cells(annotations, "updated")
    assert re.fullmatch(
        r'<time class="fc-date" datetime="[^"]+" title="[^"]+">\d{4}-\d\d-\d\d</time>', updated
    )


@pytest.mark.parametrize(
    "changelist",
    ["claims_assignment_changelist", "claims_verdict_changelist", "claims_adjudication_changelist"],
)
def test_other_lists_have_no_unwrappable_text_column(client, editor_eve, long_story, changelist):
    client.force_login(editor_eve)
    html = client.get(reverse(f"admin:{changelist}")).content.decode()
    assert not re.search(r'class="field-(article|claim) nowrap"', html)
