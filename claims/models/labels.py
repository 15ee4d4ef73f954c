"""What reviewers say about claims: error types, sources, annotations, verdicts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


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

    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="annotations")
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
    # Bumped by every write (claims.services); a writer who read an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["claim__article", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="annotation_start_before_end"
            ),
            # One reviewer says one thing once: an exact copy would count twice in
            # agreement and adjudication. The services check first, with a message
            # naming the existing annotation; this holds under concurrent requests.
            models.UniqueConstraint(
                fields=["claim", "reviewer", "start", "end", "error_type"],
                name="annotation_unique_per_reviewer_span_type",
                violation_error_code="duplicate_annotation",
                violation_error_message="This reviewer already tagged this span with this "
                "error type in this claim.",
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

    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="verdicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts"
    )
    label = models.CharField(max_length=20, choices=Label.choices)
    note = models.TextField(blank=True)
    # Bumped by every write (claims.services); a writer who read an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "reviewer"], name="verdict_one_per_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_label_display()} by {self.reviewer}"
