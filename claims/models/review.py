"""The multi-reviewer workflow: who reviews what, and the editor's final labels."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from claims.models.labels import AnchoredSpan, Annotation, Severity, Verdict, orphan_constraints


def correlated_count(queryset, group_by: str):
    """A correlated COUNT(*) of ``queryset`` as an annotation (0 when nothing matches).

    Unlike ``Count()`` over a join, it never groups by the outer row's columns: grouping
    articles by their text made every joined claim row carry a copy of a long article."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


class AssignmentQuerySet(models.QuerySet):
    def with_progress(self):
        """Claims in the article, and this reviewer's annotations and verdicts in it."""
        from claims.models.articles import Claim  # articles.py imports this module

        # The reviewer's work "on a claim among the article's": joined to the claims, SQLite
        # (without ANALYZE's statistics) read the reviewer's every annotation and verdict
        # for each row, 0.7 s an assignment at a million claims, not the article's claims.
        mine = {
            "claim__in": Claim.objects.filter(article=OuterRef(OuterRef("article_id"))),
            "reviewer": OuterRef("reviewer_id"),
        }
        return self.annotate(
            claim_total=correlated_count(
                Claim.objects.filter(article=OuterRef("article_id")), "article"
            ),
            annotation_total=correlated_count(Annotation.objects.filter(**mine), "reviewer"),
            judged_total=correlated_count(Verdict.objects.filter(**mine), "reviewer"),
        )

    def open(self):
        return self.exclude(state=Assignment.State.SUBMITTED)

    def submitted(self):
        return self.filter(state=Assignment.State.SUBMITTED)


class Assignment(models.Model):
    """One reviewer's independent review of one article."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Reopened"

    # Where each state may go next; anything else is refused with a message.
    TRANSITIONS = {
        State.ASSIGNED: {State.IN_PROGRESS, State.SUBMITTED},
        State.IN_PROGRESS: {State.SUBMITTED},
        State.SUBMITTED: {State.REOPENED},
        State.REOPENED: {State.IN_PROGRESS, State.SUBMITTED},
    }

    article = models.ForeignKey(
        "claims.Article", on_delete=models.PROTECT, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reviewer"], name="assignment_one_per_reviewer"
            ),
        ]
        permissions = [
            ("assign_reviews", "Can assign articles to reviewers and reopen reviews"),
            ("view_all_reviews", "Can see every reviewer's work, submitted or not"),
        ]

    def __str__(self) -> str:
        return f"{self.article} → {self.reviewer} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state != self.State.SUBMITTED

    def check_transition(self, to: str) -> None:
        if to not in self.TRANSITIONS[self.State(self.state)]:
            allowed = ", ".join(
                self.State(s).label.lower()
                for s in sorted(self.TRANSITIONS[self.State(self.state)])
            )
            raise ValidationError(
                f"A review that is {self.get_state_display().lower()} cannot become "
                f"{self.State(to).label.lower()}; it can become: {allowed}.",
                code="illegal_transition",
            )


class Adjudication(models.Model):
    """An editor's final (gold) labels for one claim, built from the submitted reviews."""

    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.PROTECT, related_name="adjudication"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="adjudications"
    )
    verdict = models.CharField(max_length=20, choices=Verdict.Label.choices, blank=True)
    note = models.TextField(blank=True)
    # Bumped by every write (claims.services), the final labels below included: they are
    # replaced as a set, so this one number versions the whole adjudication of the claim.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim__article", "claim__order"]
        permissions = [("adjudicate", "Can adjudicate reviews into final labels")]

    def __str__(self) -> str:
        return f"Final labels for {self.claim}"


class FinalAnnotation(AnchoredSpan):
    """One error in the final label set, and the reviewer annotations it came from."""

    adjudication = models.ForeignKey(
        Adjudication, on_delete=models.CASCADE, related_name="annotations"
    )
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField()
    error_type = models.ForeignKey(
        "claims.ErrorType", on_delete=models.PROTECT, related_name="final_annotations"
    )
    correction = models.TextField(blank=True)
    note = models.TextField(blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MAJOR)
    sources = models.ManyToManyField("claims.Source", blank=True, related_name="+")
    from_annotations = models.ManyToManyField(
        "claims.Annotation", blank=True, related_name="final_annotations"
    )

    history = HistoricalRecords(m2m_fields=[sources, from_annotations])

    class Meta:
        ordering = ["adjudication", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="final_annotation_start_before_end"
            ),
            # A claim's final labels are a set; services.adjudication checks first and says
            # which candidate to reject. Orphans (no offsets) never collide: NULLs differ.
            models.UniqueConstraint(
                fields=["adjudication", "start", "end", "error_type"],
                name="final_annotation_unique_span_type",
                violation_error_code="duplicate_final_label",
                violation_error_message="This claim already has a final label with this span "
                "and error type.",
            ),
            *orphan_constraints("final_annotation"),
        ]

    def __str__(self) -> str:
        return f"{self.error_type}: “{self.quote[:60]}”"

    def save(self, *args, **kwargs):
        self.capture_context(self.adjudication.claim.article.text)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.is_orphaned or self.start is None or self.end is None or not self.adjudication_id:
            return
        claim = self.adjudication.claim
        if not claim.contains_span(self.start, self.end):
            raise ValidationError(
                "A final label must lie inside its claim.", code="span_outside_claim"
            )
        if claim.text_between(self.start, self.end) != self.quote:
            raise ValidationError(
                "The quote must equal the article text between the offsets.", code="quote_mismatch"
            )
