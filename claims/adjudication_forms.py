"""The editor's adjudication form: reviewers' annotations grouped into candidates, and a
decision (accept, edit or reject) on each.

Identical annotations (same span, same error type) from several reviewers form one
candidate: the editor decides once, and the final label records every reviewer annotation
behind it. Field names: ``claim-<claim pk>-verdict`` and ``claim-<claim pk>-note`` per claim,
``claim-<claim pk>-<n>-<field>`` for candidate ``n`` of the claim, where field is decision
(accept/reject), error_type (pk), correction, note, severity or annotations (hidden).
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.safestring import SafeString

from claims.highlighting import highlighted
from claims.models import Annotation, Claim, ErrorType, FinalAnnotation, Severity, Verdict
from claims.services import FinalLabel

ACCEPT, REJECT = "accept", "reject"


@dataclass
class Candidate:
    """One possible final label: identical annotations of one or more reviewers, or a final
    label kept earlier that no submitted annotation backs any more (it is offered again
    rather than silently dropped)."""

    start: int
    end: int
    error_type: ErrorType
    quote: str
    annotations: list[Annotation] = field(default_factory=list)
    final: FinalAnnotation | None = None  # what an earlier adjudication made of it
    by_everyone: bool = False  # every submitted reviewer made this annotation
    default: str | None = None  # ACCEPT, REJECT or no default decision

    def __str__(self) -> str:
        return f"“{self.quote}” ({self.error_type.name})"

    @property
    def reviewer_names(self) -> list[str]:
        """Who made it; one whose annotation an earlier final label merged under another
        error type is named with theirs."""
        return [
            a.reviewer.get_username()
            + ("" if a.error_type_id == self.error_type.pk else f" (as {a.error_type.name})")
            for a in self.annotations
        ]

    @property
    def annotation_ids(self) -> str:
        return ",".join(str(a.pk) for a in self.annotations)


@dataclass
class ReviewerColumn:
    reviewer: object
    annotations: list[Annotation]
    verdict: Verdict | None
    text: SafeString


@dataclass
class ClaimReview:
    """Everything the submitted reviewers said about one claim, side by side."""

    claim: Claim
    columns: list[ReviewerColumn]
    candidates: list[Candidate]
    disagreement: bool
    form: "ClaimForm | None" = None

    @property
    def tagged(self) -> bool:
        return any(c.annotations or c.verdict for c in self.columns)

    @property
    def adjudication(self):
        return getattr(self.claim, "adjudication", None)


def _group(claim: Claim, columns: list[ReviewerColumn]) -> list[Candidate]:
    """One candidate per (span, error type): what the page accepts by default is then never
    two identical final labels. An earlier final label takes every annotation it was made
    from, whatever their own span and type (the editor merged them), and any later one
    identical to it; the other annotations group by their own span and type."""
    shown = [a for column in columns for a in column.annotations if not a.is_orphaned]
    # Column order throughout: the first reviewer's wording pre-fills the form.
    by_key: dict[tuple, Candidate] = {}
    placed: set[int] = set()
    adjudication = getattr(claim, "adjudication", None)
    for final in adjudication.annotations.all() if adjudication else []:
        if final.is_orphaned:  # kept by _save_claim; listed in the admin's orphans
            continue
        key = (final.start, final.end, final.error_type_id)
        candidate = by_key.setdefault(
            key, Candidate(final.start, final.end, final.error_type, final.quote, final=final)
        )
        origins = {a.pk for a in final.from_annotations.all()}
        for a in shown:
            if a.pk in origins:  # also when another final label was made from it too
                candidate.annotations.append(a)
                placed.add(a.pk)
    for a in shown:
        if a.pk not in placed:
            key = (a.start, a.end, a.error_type_id)
            by_key.setdefault(key, Candidate(a.start, a.end, a.error_type, a.quote))
            by_key[key].annotations.append(a)
    candidates = sorted(
        by_key.values(),
        key=lambda c: (c.start, c.end, c.error_type.position, c.error_type.pk),
    )
    everyone = {column.reviewer.pk for column in columns}
    for candidate in candidates:
        candidate.by_everyone = {a.reviewer_id for a in candidate.annotations} == everyone
        if candidate.final:
            candidate.default = ACCEPT
        elif adjudication and all(
            a.updated_at <= adjudication.updated_at for a in candidate.annotations
        ):
            candidate.default = REJECT  # the editor saw it last time and left it out
        elif candidate.by_everyone:
            candidate.default = ACCEPT
    return candidates


def claim_review(claim: Claim, reviewers: list) -> ClaimReview:
    """``claim`` comes with its submitted reviewers' annotations and verdicts prefetched."""
    annotations, verdicts = list(claim.annotations.all()), list(claim.verdicts.all())
    columns = []
    for reviewer in reviewers:
        theirs = [a for a in annotations if a.reviewer_id == reviewer.pk]
        verdict = next((v for v in verdicts if v.reviewer_id == reviewer.pk), None)
        columns.append(ReviewerColumn(reviewer, theirs, verdict, highlighted(claim, theirs)))
    spans = {frozenset((a.start, a.end, a.error_type_id) for a in c.annotations) for c in columns}
    labels = {c.verdict.label if c.verdict else "" for c in columns}
    return ClaimReview(
        claim, columns, _group(claim, columns), disagreement=len(spans) > 1 or len(labels) > 1
    )


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

    def __init__(self, article, reviewers: list, data=None):
        by_them = {"reviewer__in": reviewers}
        claims = Claim.objects.filter(article=article).with_annotations(
            annotations=Annotation.objects.filter(**by_them),
            verdicts=Verdict.objects.filter(**by_them),
        )
        reviews = [claim_review(claim, reviewers) for claim in claims]
        self.reviews = [r for r in reviews if r.tagged]
        self.untagged = [r.claim for r in reviews if not r.tagged]
        self.service_errors: list[str] = []
        used = {c.error_type.pk for r in self.reviews for c in r.candidates}
        error_types = {
            et.pk: et for et in ErrorType.objects.filter(Q(is_active=True) | Q(pk__in=used))
        }
        for review in self.reviews:
            prefix = f"claim-{review.claim.pk}"
            candidate_forms = [
                CandidateForm(data, prefix=f"{prefix}-{n}", candidate=c, error_types=error_types)
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
                else {"verdict": self._shared_verdict(review), "seen_version": 0}
            )
            review.form = ClaimForm(
                data, prefix=prefix, initial=initial, review=review, candidate_forms=candidate_forms
            )

    @staticmethod
    def _shared_verdict(review: ClaimReview) -> str:
        labels = {c.verdict.label if c.verdict else "" for c in review.columns}
        return labels.pop() if len(labels) == 1 else ""

    @property
    def untagged_new(self) -> list[Claim]:
        return [c for c in self.untagged if getattr(c, "adjudication", None) is None]

    def is_valid(self) -> bool:
        return all([r.form.is_valid() for r in self.reviews])  # a list: every form validates

    @property
    def errors(self) -> list[tuple[ClaimReview | None, list[str]]]:
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
