"""What reviewers say about claims: error types, sources, annotations, verdicts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from claims.text.anchoring import CONTEXT_CHARS
from claims.text.anchoring import Anchor as AnchorKind
from claims.text.anchoring import context as context_around
from claims.text.source_urls import normalise_url


def check_note_lengths(instance: models.Model, fields: list[str]) -> None:
    """Free text a reviewer writes stays under FACTCHECK_MAX_NOTE_CHARS, naming the limit."""
    limit = settings.FACTCHECK_MAX_NOTE_CHARS
    errors = {
        name: ValidationError(
            f"This has {len(getattr(instance, name)):,} characters; the limit is {limit:,} "
            "(FACTCHECK_MAX_NOTE_CHARS).",
            code="too_long",
        )
        for name in fields
        if len(getattr(instance, name) or "") > limit
    }
    if errors:
        raise ValidationError(errors)


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
    # The url as claims.text.source_urls normalises it, by which a source typed again is found;
    # unique per adder (Meta), so that concurrent writers cannot store one address twice.
    # Set from url by clean() and save(); one character longer, as an empty path gains its
    # "/". (blank: a form has no field for it, and clean() runs after the fields' checks.)
    normalised_url = models.CharField(max_length=1001, blank=True, editable=False)
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

    # Deleting a source removes it from every annotation citing it: the record says what
    # it was and who deleted it.
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "url"]
        # One source per address and adder, not per address: under blind review a reviewer
        # may not cite (and so see) another's source backing unsubmitted work, and has
        # their own instead. Its index leads with normalised_url, which also serves the
        # lookup by address alone. Sources without an adder (seeds, imports, deleted users'
        # by SET_NULL) may repeat an address: NULLs are distinct here, and refusing them
        # would make deleting a user fail. The service reuses the first unattributed one.
        constraints = [
            models.UniqueConstraint(
                fields=["normalised_url", "added_by"], name="source_one_per_address_and_adder"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def save(self, *args, **kwargs):
        self.normalised_url = normalise_url(self.url)
        if (fields := kwargs.get("update_fields")) is not None and "url" in fields:
            kwargs["update_fields"] = {*fields, "normalised_url"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.normalised_url = normalise_url(self.url)

    def validate_unique(self, exclude=None) -> None:
        """A copy of a source stored by the same adder is refused under ``url``, the field
        a form shows (``services.source_get_or_create`` reuses it instead of asking). The
        one named is the adder's own; only their sources are looked at."""
        exclude = set(exclude or ())
        super().validate_unique(exclude=exclude | {"normalised_url"})
        if "url" in exclude:  # already refused, or not this form's concern
            return
        stored = (
            Source.objects.filter(normalised_url=normalise_url(self.url), added_by=self.added_by_id)
            .exclude(pk=self.pk)
            .first()
        )
        if stored is not None:
            raise ValidationError(
                {
                    "url": ValidationError(
                        f"A source with this address is already stored (source {stored.pk}); "
                        "cite that one instead of adding a copy.",
                        code="duplicate_source",
                    )
                }
            )


class Severity(models.TextChoices):
    # MQM's severity levels, which newsroom correction policies map onto cleanly.
    MINOR = "minor", "Minor"
    MAJOR = "major", "Major"
    CRITICAL = "critical", "Critical"


class Anchor(models.TextChoices):
    """How a span was found again after its article's text was revised."""

    # The same values as claims.text.anchoring's, which stays free of Django.
    EXACT = AnchorKind.EXACT, "Exact"
    MOVED = AnchorKind.MOVED, "Moved"
    FUZZY = AnchorKind.FUZZY, "Fuzzy"
    ORPHANED = AnchorKind.ORPHANED, "Orphaned"


def orphan_constraints(prefix: str) -> list[models.CheckConstraint]:
    """An orphaned span has no offsets (its quote is no longer in the text); every other
    span has both."""
    return [
        models.CheckConstraint(
            condition=(
                Q(anchor=Anchor.ORPHANED, start__isnull=True, end__isnull=True)
                | (~Q(anchor=Anchor.ORPHANED) & Q(start__isnull=False, end__isnull=False))
            ),
            name=f"{prefix}_offsets_unless_orphaned",
        ),
    ]


class AnchoredSpan(models.Model):
    """What a tagged span needs to survive a revision of its article's text.

    An orphaned span (its quote could not be found again) keeps its quote and stays on the
    claim nearest where it was, with ``start``/``end`` null: offsets into the new text would
    point at text it never tagged, and the claim's span checks could not hold. Keeping the
    row (never deleting it) keeps the reviewer's work, its sources and its history; an
    editor sees the orphans in the admin and can re-tag them. ``prefix``/``suffix`` are the
    text around the span when it was tagged, which the next revision matches against.
    """

    anchor = models.CharField(max_length=10, choices=Anchor.choices, default=Anchor.EXACT)
    prefix = models.CharField(max_length=CONTEXT_CHARS, blank=True, editable=False)
    suffix = models.CharField(max_length=CONTEXT_CHARS, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_orphaned(self) -> bool:
        return self.anchor == Anchor.ORPHANED

    def capture_context(self, text: str) -> None:
        if self.start is not None and self.end is not None:
            self.prefix, self.suffix = context_around(text, self.start, self.end)


class Annotation(AnchoredSpan):
    """One reviewer's tag of an error on an exact span inside one claim."""

    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="annotations")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Article offset, inclusive (none once orphaned)."
    )
    end = models.PositiveIntegerField(
        null=True, blank=True, help_text="Article offset, exclusive (none once orphaned)."
    )
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
            *orphan_constraints("annotation"),
        ]
        permissions = [("change_any_annotation", "Can change any reviewer's annotations")]

    def __str__(self) -> str:
        return f"{self.error_type}: “{self.quote[:60]}”"

    def save(self, *args, **kwargs):
        self.capture_context(self.claim.article.text)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        check_note_lengths(self, ["correction", "note"])
        if self.is_orphaned or self.start is None or self.end is None or not self.claim_id:
            return
        if not self.claim.contains_span(self.start, self.end):
            raise ValidationError(
                f"The span {self.start}–{self.end} must lie inside the claim "
                f"({self.claim.start}–{self.claim.end}).",
                code="span_outside_claim",
            )
        # The claim's text is the article's between the claim's offsets: comparing with it
        # spares loading an article text that can run to megabytes for every annotation.
        if self.claim.text_between(self.start, self.end) != self.quote:
            raise ValidationError(
                "The quote must equal the article text between the offsets.",
                code="quote_mismatch",
            )

    def overlaps(self, other: "Annotation") -> bool:
        if self.is_orphaned or other.is_orphaned:
            return False
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

    def clean(self) -> None:
        check_note_lengths(self, ["note"])
