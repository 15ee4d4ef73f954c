"""The editor's adjudication form: a decision (accept, edit or reject) on each candidate
final label ``services.article_review`` found, turned into ``services.article_adjudicate``'s
decisions.

Field names: ``claim-<claim pk>-verdict`` and ``claim-<claim pk>-note`` per claim,
``claim-<claim pk>-<n>-<field>`` for candidate ``n`` of the claim, where field is decision
(accept/reject), error_type (pk), correction, note, severity or annotations (hidden).
"""

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString

from claims.adjudication_candidates import ACCEPT, REJECT, Candidate
from claims.highlighting import highlighted
from claims.models import Annotation, Claim, ErrorType, Severity, Verdict
from claims.services import FinalLabel
from claims.services.adjudication import ArticleReview, ClaimReview


@dataclass
class ReviewerColumn:
    """One reviewer's say on a claim as the page shows it: their spans marked in its text."""

    reviewer: object
    annotations: list[Annotation]
    verdict: Verdict | None
    text: SafeString


@dataclass
class ClaimSection:
    """One claim on the page: the service's review of it, and the form deciding it."""

    review: ClaimReview
    form: "ClaimForm"

    @property
    def claim(self) -> Claim:
        return self.review.claim

    @property
    def disagreement(self) -> bool:
        return self.review.disagreement

    @property
    def adjudication(self):
        return self.review.adjudication

    @cached_property
    def columns(self) -> list[ReviewerColumn]:
        return [
            ReviewerColumn(
                c.reviewer, c.annotations, c.verdict, highlighted(self.claim, c.annotations)
            )
            for c in self.review.columns
        ]


class CandidateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(ACCEPT, "Accept"), (REJECT, "Reject")],
        widget=forms.RadioSelect,
        error_messages={"required": "Accept or reject this candidate."},
    )
    error_type = forms.TypedChoiceField(coerce=int)
    correction = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    severity = forms.ChoiceField(choices=Severity.choices)
    # Which annotations the editor saw: refuses a decision made on a stale page.
    annotations = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidate: Candidate, error_types: dict[int, ErrorType], **kwargs):
        wording = candidate.final or candidate.annotations[0]
        initial = {
            "decision": candidate.default,
            "error_type": wording.error_type_id,
            "correction": wording.correction,
            "note": wording.note,
            "severity": wording.severity,
            "annotations": candidate.annotation_ids,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.candidate, self.error_types = candidate, error_types
        self.fields["error_type"].choices = [(pk, et.name) for pk, et in error_types.items()]

    def clean_error_type(self) -> ErrorType:
        return self.error_types[self.cleaned_data["error_type"]]

    def clean_annotations(self) -> str:
        if self.cleaned_data["annotations"] != self.candidate.annotation_ids:
            raise ValidationError(
                "The reviews changed since this page was opened; reload it.", code="stale_page"
            )
        return self.cleaned_data["annotations"]

    def final_label(self) -> FinalLabel | None:
        data = self.cleaned_data
        if data["decision"] == REJECT:
            return None
        kept = tuple(self.candidate.final.sources.all()) if self.candidate.final else ()
        return FinalLabel(
            start=self.candidate.start,
            end=self.candidate.end,
            error_type=data["error_type"],
            correction=data["correction"],
            note=data["note"],
            severity=data["severity"],
            from_annotations=tuple(self.candidate.annotations),
            sources=kept,
        )


class ClaimForm(forms.Form):
    """The final verdict and note of one claim; its clean() checks the candidates' decisions."""

    verdict = forms.ChoiceField(choices=[("", "—"), *Verdict.Label.choices], required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The version of the claim's adjudication this page showed (0: none): a stale save is
    # refused by the service rather than replacing another editor's final labels.
    seen_version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, review: ClaimReview, candidate_forms: list[CandidateForm], **kwargs):
        super().__init__(*args, **kwargs)
        self.review, self.candidate_forms = review, candidate_forms

    def clean(self):
        missing = [
            f.candidate for f in self.candidate_forms if not f.is_valid() and "decision" in f.errors
        ]
        if missing:
            raise ValidationError(
                "Accept or reject every candidate; missing: %(missing)s.",
                code="decision_missing",
                params={"missing": "; ".join(str(c) for c in missing)},
            )
        if not all(f.is_valid() for f in self.candidate_forms):
            raise ValidationError("Correct the candidates marked below.", code="invalid_candidate")
        # Two identical accepted labels are refused by the service, which names them.
        self.cleaned_data["labels"] = [
            label for f in self.candidate_forms if (label := f.final_label())
        ]
        return self.cleaned_data


class ArticleAdjudicationForm:
    """The claim forms of one article, validated together and turned into the decisions
    ``services.article_adjudicate`` takes. Claims nobody tagged get no form: they are
    adjudicated as having no error, unless an earlier adjudication already covers them."""

    def __init__(self, review: ArticleReview, data=None):
        self.review = review
        self.untagged = self.review.untagged
        self.service_errors: list[str] = []
        self.reviews = [self._section(review, data) for review in self.review.reviews]

    def _section(self, review: ClaimReview, data) -> ClaimSection:
        prefix = f"claim-{review.claim.pk}"
        candidate_forms = [
            CandidateForm(
                data, prefix=f"{prefix}-{n}", candidate=c, error_types=self.review.error_types
            )
            for n, c in enumerate(review.candidates)
        ]
        adjudication = review.adjudication
        initial = (
            {
                "verdict": adjudication.verdict,
                "note": adjudication.note,
                "seen_version": adjudication.version,
            }
            if adjudication
            else {"verdict": review.shared_verdict, "seen_version": 0}
        )
        form = ClaimForm(
            data, prefix=prefix, initial=initial, review=review, candidate_forms=candidate_forms
        )
        return ClaimSection(review, form)

    @property
    def untagged_new(self) -> list[Claim]:
        return self.review.untagged_new

    def is_valid(self) -> bool:
        return all([r.form.is_valid() for r in self.reviews])  # a list: every form validates

    @property
    def errors(self) -> list[tuple[ClaimSection | None, list[str]]]:
        """What stopped the save: the service's refusal, then each claim's problems."""
        found = [(None, self.service_errors)] if self.service_errors else []
        return found + [
            (r, r.form.non_field_errors())
            for r in self.reviews
            if r.form.is_bound and r.form.non_field_errors()
        ]

    def add_error(self, error: ValidationError) -> None:
        self.service_errors.extend(error.messages)

    def decisions(self) -> dict[Claim, tuple[list[FinalLabel], str, str]]:
        decided = {
            r.claim: (
                r.form.cleaned_data["labels"],
                r.form.cleaned_data["verdict"],
                r.form.cleaned_data["note"],
            )
            for r in self.reviews
        }
        return decided | {claim: ([], "", "") for claim in self.untagged_new}

    def versions(self) -> dict[int, int]:
        """The adjudication version each claim's form was opened on (0: none yet)."""
        seen = {
            r.claim.pk: r.form.cleaned_data["seen_version"]
            for r in self.reviews
            if r.form.cleaned_data.get("seen_version") is not None
        }
        # Untagged claims have no form: the page offered them as "no adjudication yet".
        return seen | {claim.pk: 0 for claim in self.untagged_new}
