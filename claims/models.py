"""Articles, their claims, and what reviewers say about them.

Every offset is a Python code-point index into ``Article.text`` (end exclusive), the
canonical text stored on import; nothing rewrites that text afterwards, so offsets never drift.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from claims.segmentation import ClaimKind


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


class ClaimQuerySet(models.QuerySet):
    def with_annotations(self):
        return self.select_related("article").prefetch_related(
            models.Prefetch(
                "annotations",
                queryset=Annotation.objects.select_related("reviewer", "error_type")
                .prefetch_related("sources")
                .order_by("start", "id"),
            ),
            models.Prefetch("verdicts", queryset=Verdict.objects.select_related("reviewer")),
        )

    def with_errors(self):
        return self.filter(Exists(Annotation.objects.filter(claim=OuterRef("pk"))))

    def without_errors(self):
        return self.exclude(Exists(Annotation.objects.filter(claim=OuterRef("pk"))))


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

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_start_before_end"),
            models.UniqueConstraint(fields=["article", "order"], name="claim_unique_order"),
        ]
        permissions = [("export_claims", "Can export labelled claims")]

    def __str__(self) -> str:
        return f"#{self.order} {self.text[:80]}"

    def clean(self) -> None:
        if self.start is None or self.end is None or not self.article_id:
            return
        if self.article.text[self.start : self.end] != self.text:
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
                        f"“{quote}” does not occur in this claim; copy it exactly.",
                        code="quote_absent",
                    )
                }
            )
        if self.text.find(quote, first + 1) != -1:
            raise ValidationError(
                {
                    "quote": ValidationError(
                        f"“{quote}” occurs more than once in this claim; give offsets or "
                        "a longer quote.",
                        code="quote_ambiguous",
                    )
                }
            )
        return self.start + first, self.start + first + len(quote)

    def contains_span(self, start: int, end: int) -> bool:
        return self.start <= start < end <= self.end


class ErrorType(models.Model):
    """One kind of newsroom error, from the taxonomy loaded by migration 0002."""

    class Family(models.TextChoices):
        # Charnley's split: objective errors are checkable facts, subjective ones are judgement.
        OBJECTIVE = "objective", "Objective (factual)"
        SUBJECTIVE = "subjective", "Subjective (meaning, emphasis)"
        TRANSLATION = "translation", "Translation (MQM)"

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    definition = models.CharField(max_length=300, help_text="One line: what counts as this error.")
    family = models.CharField(max_length=20, choices=Family.choices)
    position = models.PositiveIntegerField(default=0, help_text="Order in pick lists.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """Evidence for a correction. One source can back many annotations."""

    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    quoted_passage = models.TextField(
        blank=True, help_text="The passage that supports the correction."
    )
    accessed_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "url"]

    def __str__(self) -> str:
        return self.title or self.url


class Severity(models.TextChoices):
    # MQM's severity levels, which newsroom correction policies map onto cleanly.
    MINOR = "minor", "Minor"
    MAJOR = "major", "Major"
    CRITICAL = "critical", "Critical"


class Annotation(models.Model):
    """One reviewer's tag of an error on an exact span inside one claim."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="annotations")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    start = models.PositiveIntegerField(help_text="Article offset, inclusive.")
    end = models.PositiveIntegerField(help_text="Article offset, exclusive.")
    quote = models.TextField(help_text="The exact article text between the offsets.")
    error_type = models.ForeignKey(ErrorType, on_delete=models.PROTECT, related_name="annotations")
    correction = models.TextField(blank=True)
    note = models.TextField(blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MAJOR)
    sources = models.ManyToManyField(Source, blank=True, related_name="annotations")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim__article", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="annotation_start_before_end"
            ),
        ]
        permissions = [("change_any_annotation", "Can change any reviewer's annotations")]

    def __str__(self) -> str:
        return f"{self.error_type}: “{self.quote[:60]}”"

    def clean(self) -> None:
        if self.start is None or self.end is None or not self.claim_id:
            return
        if not self.claim.contains_span(self.start, self.end):
            raise ValidationError(
                f"The span {self.start}–{self.end} must lie inside the claim "
                f"({self.claim.start}–{self.claim.end}).",
                code="span_outside_claim",
            )
        if self.claim.article.text[self.start : self.end] != self.quote:
            raise ValidationError(
                "The quote must equal the article text between the offsets.",
                code="quote_mismatch",
            )

    def overlaps(self, other: "Annotation") -> bool:
        return self.start < other.end and other.start < self.end


class Verdict(models.Model):
    """One reviewer's judgement of a whole claim."""

    class Label(models.TextChoices):
        ACCURATE = "accurate", "Accurate"
        INACCURATE = "inaccurate", "Inaccurate"
        MISLEADING = "misleading", "Misleading"
        UNVERIFIABLE = "unverifiable", "Unverifiable"
        NOT_CHECKABLE = "not_checkable", "Not checkable"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="verdicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts"
    )
    label = models.CharField(max_length=20, choices=Label.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "reviewer"], name="verdict_one_per_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_label_display()} by {self.reviewer}"
