"""One claim with every exported field set to a value chosen here, and the record it exports.

Shared by the export tests (``tests/api/test_export.py`` checks every format through the
API, ``tests/api/test_export_paths.py`` the bytes of both databases' paths).
"""

from dataclasses import dataclass
from datetime import date

from claims import services
from claims.models import Adjudication, Annotation, Claim, Source
from tests import factories
from tests.factories import SourceFactory

PINNED_TEXT = (
    "Minister visits Paris 🇫🇷\n\n"
    "The minister arrived in Paris on Monday.\n\n"
    "She met the president, she said. Talks lasted three hours."
)


@dataclass
class Pinned:
    claim: Claim
    anns: Annotation
    bens: Annotation
    evidence: Source
    extra: Source
    adjudication: Adjudication


def build_pinned(reviewer_ann, reviewer_ben, editor_eve) -> Pinned:
    """One claim with every exported field set to a value chosen here."""
    story = factories.article(PINNED_TEXT, title="Minister visits", url="https://example.org/p")
    claim = story.claims.get(text="Talks lasted three hours.")
    evidence = SourceFactory(
        url="https://example.org/minutes",
        title="Minutes",
        publisher="Ministry",
        published_on=date(2023, 6, 19),
        quoted_passage="The talks lasted five hours.",
        accessed_on=date(2023, 6, 20),
    )
    extra = SourceFactory(url="https://example.org/wire", title="Wire", publisher="")
    anns = factories.annotate(
        claim,
        reviewer_ann,
        "three hours",
        slug="wrong-number",
        correction="five hours",
        note="per the minutes",
        severity="minor",
        sources=[evidence],
    )
    bens = factories.annotate(claim, reviewer_ben, "Talks", slug="wrong-name", severity="critical")
    services.verdict_set(claim=claim, reviewer=reviewer_ann, label="inaccurate", note="too short")
    factories.submit(story, reviewer_ann)
    factories.submit(story, reviewer_ben)
    adjudication = services.claim_adjudicate(
        claim=claim,
        editor=editor_eve,
        verdict="misleading",
        note="shorter than reported",
        labels=[
            services.FinalLabel(
                start=anns.start,
                end=anns.end,
                error_type=anns.error_type,
                correction="five hours (final)",
                note="final note",
                severity="critical",
                from_annotations=(anns, bens),
                sources=(extra,),
            )
        ],
    )
    return Pinned(claim, anns, bens, evidence, extra, adjudication)


def expected_record(pinned: Pinned) -> dict:
    """The record of the pinned claim, written out by hand (labels: all)."""
    claim, anns, bens, evidence, extra, adjudication = (
        pinned.claim,
        pinned.anns,
        pinned.bens,
        pinned.evidence,
        pinned.extra,
        pinned.adjudication,
    )
    start = PINNED_TEXT.index("Talks lasted")
    hours = PINNED_TEXT.index("three hours")
    # The flag before the claim is two characters beyond U+FFFF: four UTF-16 code units.
    astral = 2
    evidence_record = {
        "id": evidence.pk,
        "url": "https://example.org/minutes",
        "title": "Minutes",
        "publisher": "Ministry",
        "published_on": "2023-06-19",
        "quoted_passage": "The talks lasted five hours.",
        "accessed_on": "2023-06-20",
    }
    expected = {
        "labels": "all",
        "article": {
            "id": claim.article_id,
            "title": "Minister visits",
            "url": "https://example.org/p",
        },
        "claim": {
            "id": claim.pk,
            "order": 3,
            "paragraph": 2,
            "start": start,
            "end": start + len("Talks lasted three hours."),
            "start_utf16": start + astral,
            "end_utf16": start + astral + len("Talks lasted three hours."),
            "text": "Talks lasted three hours.",
            "kind": "statement",
        },
        "annotations": [
            {
                "id": bens.pk,
                "reviewer": "ben",
                "start": start,
                "end": start + len("Talks"),
                "start_utf16": start + astral,
                "end_utf16": start + astral + len("Talks"),
                "quote": "Talks",
                "anchor": "exact",
                "error_type": "wrong-name",
                "error_type_name": "Wrong name",
                "correction": "",
                "note": "",
                "severity": "critical",
                "sources": [],
            },
            {
                "id": anns.pk,
                "reviewer": "ann",
                "start": hours,
                "end": hours + len("three hours"),
                "start_utf16": hours + astral,
                "end_utf16": hours + astral + len("three hours"),
                "quote": "three hours",
                "anchor": "exact",
                "error_type": "wrong-number",
                "error_type_name": "Wrong number",
                "correction": "five hours",
                "note": "per the minutes",
                "severity": "minor",
                "sources": [evidence_record],
            },
        ],
        "verdicts": [{"reviewer": "ann", "label": "inaccurate", "note": "too short"}],
        "final": {
            "adjudicated_by": "eve",
            "adjudicated_at": adjudication.updated_at.isoformat(),
            "verdict": "misleading",
            "note": "shorter than reported",
            "annotations": [
                {
                    "start": hours,
                    "end": hours + len("three hours"),
                    "start_utf16": hours + astral,
                    "end_utf16": hours + astral + len("three hours"),
                    "quote": "three hours",
                    "anchor": "exact",
                    "error_type": "wrong-number",
                    "error_type_name": "Wrong number",
                    "correction": "five hours (final)",
                    "note": "final note",
                    "severity": "critical",
                    # Its own source and those of the annotations it came from, by title.
                    "sources": [
                        evidence_record,
                        {
                            "id": extra.pk,
                            "url": "https://example.org/wire",
                            "title": "Wire",
                            "publisher": "",
                            "published_on": None,
                            "quoted_passage": "",
                            "accessed_on": None,
                        },
                    ],
                    "from_annotations": sorted([anns.pk, bens.pk]),
                }
            ],
        },
    }
    return expected
