"""Articles, their claims, and what reviewers say about them.

Every offset is a Python code-point index into ``Article.text`` (end exclusive), the
canonical text stored on import. Only ``claims.services.article_revise`` replaces it (an
editor's revision), and it re-anchors every offset to the new text in the same transaction.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import Substr
from simple_history.models import HistoricalRecords

from claims.models.labels import Annotation, Verdict
from claims.models.review import FinalAnnotation
from claims.search import claim_text_matches
from claims.text.excerpts import excerpt
from claims.text.offsets import Utf16Offsets
from claims.text.segmentation import ClaimKind


def utf16_fields(offsets: Utf16Offsets, start: int, end: int) -> tuple[int, int]:
    """``start_utf16``/``end_utf16`` of a claim, for writers that bypass ``Claim.save``."""
    return offsets(start), offsets(end)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Article(models.Model):
    title = models.CharField(max_length=500)
    text = models.TextField(help_text="Canonical plain text. Every offset refers to it.")
    url = models.URLField(max_length=1000, unique=True, null=True, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    byline = models.CharField("author / byline", max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The page as it was imported, for provenance. It can be megabytes: list views,
    # exports and the claim queries defer it; the admin and the API show it on request.
    source_html = models.TextField(
        "saved HTML",
        blank=True,
        editable=False,
        help_text="The web page the text was extracted from, as imported (empty for text).",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_articles",
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.content_hash = content_hash(self.text)
        super().save(*args, **kwargs)

    def utf16_offsets(self) -> Utf16Offsets:
        """The UTF-16 map of the current text, built once per text: a resplit places
        every claim of a long article with it."""
        cached = getattr(self, "_utf16_offsets", None)
        if cached is None or cached[0] is not self.text:
            cached = self._utf16_offsets = (self.text, Utf16Offsets(self.text))
        return cached[1]


class ArticleRevision(models.Model):
    """An article's text (and title) as it was before an editor replaced it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=500)
    text = models.TextField()
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revised_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(
        default=dict, blank=True, help_text="How the labels were re-anchored: counts per anchor."
    )

    class Meta:
        ordering = ["article", "-revised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article} as of {self.revised_at:%Y-%m-%d %H:%M}"


class ClaimQuerySet(models.QuerySet):
    def search(self, terms: str):
        """Claims whose text matches ``terms`` (``claims.search``: full-text on PostgreSQL,
        a substring elsewhere)."""
        return self.filter(claim_text_matches(terms, vendor=connections[self.db].vendor))

    def with_article(self):
        """Claims with their article's title, url and so on, but never its text (nor the
        page it came from).

        An article's text can be megabytes (a long transcript); selecting it along with
        every claim row copied it once per claim, and a page of 500 claims of a 1 MB
        article held 500 MB. Code that needs the text reads it once, from the article.
        """
        return self.select_related("article").defer("article__text", "article__source_html")

    def with_reviews(self, *, annotations=None, verdicts=None):
        """Claims with the reviewers' annotations (and sources) and verdicts, prefetched.

        ``annotations`` and ``verdicts`` narrow what is attached, e.g. to what a reviewer
        may see under blind review.
        """
        annotations = Annotation.objects.all() if annotations is None else annotations
        verdicts = Verdict.objects.all() if verdicts is None else verdicts
        return self.prefetch_related(
            models.Prefetch(
                "annotations",
                queryset=annotations.select_related("reviewer", "error_type")
                .prefetch_related("sources")
                .order_by("start", "id"),
            ),
            # Ordered here: the model's order goes through the claim to the article.
            models.Prefetch(
                "verdicts", queryset=verdicts.select_related("reviewer").order_by("reviewer_id")
            ),
        )

    def with_annotations(self, *, annotations=None, verdicts=None):
        """``with_reviews()``, the article (without its text) and the final labels too."""
        return (
            self.with_article()
            .with_reviews(annotations=annotations, verdicts=verdicts)
            .select_related("adjudication__editor")
            .prefetch_related(
                models.Prefetch(
                    "adjudication__annotations",
                    queryset=FinalAnnotation.objects.select_related("error_type")
                    .prefetch_related("sources", "from_annotations")
                    .order_by("start", "id"),
                ),
            )
        )


class Claim(models.Model):
    class Kind(models.TextChoices):
        # The same values as the segmenter's, which stays free of Django.
        STATEMENT = ClaimKind.STATEMENT, "Statement"
        QUOTE = ClaimKind.QUOTE, "Quote"
        HEADING = ClaimKind.HEADING, "Heading"
        CAPTION = ClaimKind.CAPTION, "Caption or credit"
        BOILERPLATE = ClaimKind.BOILERPLATE, "Boilerplate"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    order = models.PositiveIntegerField(help_text="Position of the claim in its article, from 0.")
    paragraph = models.PositiveIntegerField(default=0)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATEMENT)
    # The same offsets counted in UTF-16 code units, as JavaScript tools count them. Derived
    # from start/end and the article text, and stored because exports must not read the
    # article text once per claim. Set on save; bulk writers use ``utf16_fields``.
    start_utf16 = models.PositiveIntegerField(editable=False)
    end_utf16 = models.PositiveIntegerField(editable=False)

    objects = ClaimQuerySet.as_manager()
    # Splits, merges and kind changes are recorded, so a reviewer's span can always be traced.
    # The UTF-16 offsets follow from the recorded start/end, so history leaves them out.
    history = HistoricalRecords(excluded_fields=["start_utf16", "end_utf16"])

    class Meta:
        ordering = ["article", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_start_before_end"),
            models.UniqueConstraint(fields=["article", "order"], name="claim_unique_order"),
        ]
        permissions = [("export_claims", "Can export labelled claims")]

    def __str__(self) -> str:
        # The claim's number is its id, as the API and every page give it (not its position).
        return f"#{self.pk} {self.text[:80]}"

    def save(self, *args, **kwargs):
        if self._utf16_stale():
            self.start_utf16, self.end_utf16 = utf16_fields(
                self.article.utf16_offsets(), self.start, self.end
            )
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "start_utf16", "end_utf16"}
        super().save(*args, **kwargs)
        self._utf16_of = (self.start, self.end)

    @classmethod
    def from_db(cls, db, field_names, values):
        claim = super().from_db(db, field_names, values)
        claim._utf16_of = (claim.__dict__.get("start"), claim.__dict__.get("end"))
        return claim

    def _utf16_stale(self) -> bool:
        # Recomputed only when the offsets moved (split, merge, resplit): a kind change
        # must not load a long article's text.
        return (
            self.start_utf16 is None
            or self.end_utf16 is None
            or getattr(self, "_utf16_of", None) != (self.start, self.end)
        )

    def clean(self) -> None:
        if self.start is None or self.end is None or not self.article_id:
            return
        if self.article_text(self.start, self.end) != self.text:
            raise ValidationError(
                "The claim text must equal the article text between its offsets.",
                code="claim_text_mismatch",
            )

    def span_of(self, quote: str) -> tuple[int, int]:
        """Article offsets of ``quote``, which must occur exactly once in this claim."""
        if not quote:
            raise ValidationError(
                {"quote": ValidationError("Give the exact text to tag.", code="quote_empty")}
            )
        first = self.text.find(quote)
        if first == -1:
            raise ValidationError(
                {
                    "quote": ValidationError(
                        f"“{excerpt(quote)}” does not occur in this claim; copy it exactly.",
                        code="quote_absent",
                    )
                }
            )
        if self.text.find(quote, first + 1) != -1:
            raise ValidationError(
                {
                    "quote": ValidationError(
                        f"“{excerpt(quote)}” occurs more than once in this claim; give offsets or "
                        "a longer quote.",
                        code="quote_ambiguous",
                    )
                }
            )
        return self.start + first, self.start + first + len(quote)

    def article_text(self, start: int, end: int) -> str:
        """The article's text between two offsets, without loading the whole text when the
        claim came without it (``with_article()``): the database cuts the slice."""
        article = self.article if Claim.article.is_cached(self) else None
        if article is not None and "text" not in article.get_deferred_fields():
            return article.text[start:end]
        if end <= start:
            return ""
        return (
            Article.objects.filter(pk=self.article_id)
            .annotate(between=Substr("text", start + 1, end - start))
            .values_list("between", flat=True)
            .get()
        )

    def text_between(self, start: int, end: int) -> str:
        """The text between two article offsets inside this claim, from the claim's own text
        (which equals the article's between the claim's offsets)."""
        return self.text[start - self.start : end - self.start]

    def contains_span(self, start: int, end: int) -> bool:
        return self.start <= start < end <= self.end
