from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from claims import permissions, services
from claims.admin import searching
from claims.admin.display import clipped, short_date, shortened
from claims.admin.filters import ClaimArticleFilter, UsedRelatedFilter
from claims.admin.history import HistoryAdmin, RestoreAnnotationMixin
from claims.admin.paging import LargeTableAdmin
from claims.models import Annotation, Claim, Verdict


class LabelForm(forms.ModelForm):
    """A form for a reviewer's label; ``user`` (who is writing) is set by the admin.

    It carries the version of the row it was opened on: if someone saved the row since,
    the submit is refused with a message and the form comes back with the user's input,
    now marked with the current version, so saving again (after looking) replaces theirs.
    """

    user = None
    seen_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        data = super().clean()
        self._lock(data)
        return data

    def _lock(self, data) -> None:
        """Lock what the save will write, as the services do (the article's claims, then the
        row), and validate against that: the admin runs validation and save in one
        transaction, so nothing read here can go stale before the save."""
        claim = data.get("claim") or (self.instance.claim if self.instance.pk else None)
        if claim is None:
            return
        fresh = services.lock_article_claims(claim.article_id)
        if not self.instance.pk:
            if claim.pk not in fresh:
                raise ValidationError(
                    "This claim was merged into another since you opened the form; pick the "
                    "claim again."
                )
            data["claim"] = fresh[claim.pk]
            return
        seen = data.get("seen_version")
        try:
            current = services.lock_current(
                self.instance,
                expected=seen,
                queryset=type(self.instance).objects.select_related("claim__article"),
            )
        except services.StaleVersion as stale:
            # The form comes back with the user's input and the current version, so that
            # saving again, after looking, is a choice and not an accident.
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = stale.current.version
            name = self.instance._meta.verbose_name
            raise ValidationError(
                f"Someone else saved this {name} after you opened it (you had version "
                f"{seen}, it is now at {stale.current.version}), so nothing was saved. Your "
                "input is kept below: compare with theirs under History, then save again "
                "to replace it with yours.",
                code="stale_version",
            ) from None
        self.instance.claim = current.claim  # as it is now, if a split moved the row

    def claim_and_owner(self):
        """The claim written on and whose label it is, once the writer is checked."""
        claim = self.cleaned_data.get("claim") or (
            self.instance.claim if self.instance.pk else None
        )
        owner = self.instance.reviewer if self.instance.pk else self.user
        if claim is not None:
            try:
                services.check_may_label(reviewer=owner, article=claim.article, by=self.user)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return claim, owner


class AnnotationForm(LabelForm):
    """The span is typed as the exact quote (the form finds the offsets) or as offsets."""

    quote = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The exact text to tag; it must occur once in the claim. "
        "Leave empty to give offsets instead.",
    )
    start = forms.IntegerField(required=False, min_value=0, help_text="Article offset.")
    end = forms.IntegerField(required=False, min_value=0, help_text="Article offset, exclusive.")
    new_source_url = forms.URLField(
        required=False, label="New source: url", assume_scheme="https", max_length=1000
    )
    new_source_title = forms.CharField(required=False, label="New source: title", max_length=500)
    new_source_publisher = forms.CharField(
        required=False, label="New source: publisher", max_length=200
    )
    new_source_passage = forms.CharField(
        required=False,
        label="New source: quoted passage",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Annotation
        fields = [
            "claim",
            "quote",
            "start",
            "end",
            "error_type",
            "correction",
            "note",
            "severity",
            "sources",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        claim = self.instance.claim if self.instance.pk else self._chosen_claim()
        if claim is not None:  # show the claim, so the quote can be copied from it exactly
            self.fields["quote"].help_text = format_html(
                '{} The claim (article offsets {}–{}):<br><q class="fc-claim">{}</q>',
                self.fields["quote"].help_text,
                claim.start,
                claim.end,
                claim.text,
            )

    def _chosen_claim(self):
        """The claim picked so far: the one posted, so that after an error the form still
        shows the text its message asks to copy from; else the one in the link."""
        value = self.data.get(self.add_prefix("claim")) if self.is_bound else None
        value = value or self.initial.get("claim")
        if value is None or not str(value).isdecimal():
            return None
        return Claim.objects.filter(pk=int(value)).first()

    def clean(self):
        data = super().clean()
        claim, _ = self.claim_and_owner()
        if claim is None:
            return data
        quote, start, end = data.get("quote") or None, data.get("start"), data.get("end")
        if self.instance.pk:
            # On a change, the field the reviewer edited wins and the other follows it.
            if quote and "quote" in self.changed_data:
                start = end = None
            else:
                quote = None
        try:
            span = services.resolve_span(claim, start=start, end=end, quote=quote)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        data["start"], data["end"], data["quote"] = span
        self._refuse_duplicate(claim, data)
        if not data.get("new_source_url") and any(
            data.get(f"new_source_{name}") for name in ("title", "publisher", "passage")
        ):
            self.add_error("new_source_url", "A new source needs its url.")
        return data

    def _refuse_duplicate(self, claim, data) -> None:
        if data.get("error_type") is None:
            return  # the field's own error says what is missing
        owner = self.instance.reviewer if self.instance.pk else self.user
        candidate = Annotation(
            pk=self.instance.pk,
            claim=claim,
            reviewer=owner,
            start=data["start"],
            end=data["end"],
            error_type=data["error_type"],
        )
        try:
            services.check_not_duplicate(candidate)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def _post_clean(self):
        # The model's own checks repeat the span checks made in clean(): run them only on
        # input that passed, so that each problem is reported once.
        if not self._errors:
            super()._post_clean()

    def new_source(self) -> services.NewSource | None:
        data = self.cleaned_data
        if not data.get("new_source_url"):
            return None
        return services.NewSource(
            url=data["new_source_url"],
            title=data.get("new_source_title", ""),
            publisher=data.get("new_source_publisher", ""),
            quoted_passage=data.get("new_source_passage", ""),
        )


class ReviewerWorkAdmin(LargeTableAdmin, HistoryAdmin):
    """A reviewer's own work: they see others' only after submitting their review (blind
    review), and change their own only while it is open. Rules from ``claims.permissions``."""

    readonly_fields = ["reviewer", "created_at", "updated_at"]
    # Newest first, from the primary key's index: the models' default orders go through
    # the claim to the article (a join and a sort of every row). For the same reason the
    # columns do not sort: no index holds them in order, and sorting 400,000 annotations
    # by one took 0.5–1.5 s a page. Filters and the search narrow the list instead.
    ordering = ["-pk"]
    sortable_by = []

    def get_queryset(self, request):
        # The list selects each row's claim and article; never the article's text (nor its
        # saved page) with it.
        queryset = (
            super()
            .get_queryset(request)
            .defer("claim__article__text", "claim__article__source_html")
        )
        return permissions.visible_work(request.user, queryset)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        # Work stays on its claim; to label another claim, add new work there.
        return [*self.readonly_fields, "claim"] if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.may_change_work(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.may_delete_work(request.user, obj)


@admin.register(Annotation)
class AnnotationAdmin(RestoreAnnotationMixin, ReviewerWorkAdmin):
    form = AnnotationForm
    list_display = [
        "short_quote",
        "error_type_and_severity",
        "short_correction",
        "claim_article",
        "reviewer",
        "updated",
    ]
    list_filter = [
        "anchor",  # "Orphaned": labels a revision of their article could not find again
        "error_type",  # the whole taxonomy: fifteen rows, no look at the annotations
        ("reviewer", UsedRelatedFilter),
        "severity",
        "claim__kind",
        ClaimArticleFilter,
    ]
    list_select_related = ["error_type", "reviewer", "claim__article"]
    readonly_fields = [*ReviewerWorkAdmin.readonly_fields, "anchor"]
    search_fields = ["quote", "correction", "note", "claim__text"]
    autocomplete_fields = ["claim", "sources"]
    fieldsets = [
        (None, {"fields": ["claim", "quote", ("start", "end"), "anchor", "seen_version"]}),
        ("The error", {"fields": ["error_type", "severity", "correction", "note"]}),
        (
            "Sources",
            {
                "fields": [
                    "sources",
                    "new_source_url",
                    "new_source_title",
                    "new_source_publisher",
                    "new_source_passage",
                ]
            },
        ),
        ("Record", {"fields": ["reviewer", "created_at", "updated_at"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        if connections[queryset.db].vendor != "postgresql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        # Words, through two GIN indexes: substrings of three texts, joined to the claims,
        # read all 400,000 annotations (1–3 s).
        return queryset.filter(searching.annotations_matching(search_term)), False

    @admin.display(description="quote", ordering="quote")
    def short_quote(self, annotation):
        return shortened(annotation.quote, 80)

    @admin.display(description="error type", ordering="error_type__position")
    def error_type_and_severity(self, annotation):
        # One cell, wrapping (a foreign key column would not): the list fits 1,400 pixels.
        return format_html(
            "{} <small>({})</small>",
            annotation.error_type.name,
            annotation.get_severity_display().lower(),
        )

    @admin.display(description="correction", ordering="correction")
    def short_correction(self, annotation):
        return shortened(annotation.correction, 80)

    @admin.display(description="article", ordering="claim__article__title")
    def claim_article(self, annotation):
        return clipped(annotation.claim.article.title)

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, annotation):
        return short_date(annotation.updated_at)

    # Where the reviewer goes after saving or deleting: back to the claim they were tagging
    # (or to ``?next=``, the page that sent them, such as the annotation workspace), not to
    # the list of everyone's annotations.

    def response_post_save_add(self, request, obj):
        return HttpResponseRedirect(self._back_to(request, obj))

    def response_post_save_change(self, request, obj):
        return HttpResponseRedirect(self._back_to(request, obj))

    def response_add(self, request, obj, post_url_continue=None):
        # "Save and continue" keeps the address's query (``next``) by itself.
        if "_addanother" in request.POST and "_popup" not in request.POST:
            super().response_add(request, obj, post_url_continue)  # its message
            query = {"claim": obj.claim_id, **self._next(request)}  # another on this claim
            return HttpResponseRedirect(f"{request.path}?{urlencode(query)}")
        return super().response_add(request, obj, post_url_continue)

    def delete_view(self, request, object_id, extra_context=None):
        annotation = self.get_object(request, unquote(object_id))
        response = super().delete_view(request, object_id, extra_context)
        deleted = request.method == "POST" and response.status_code == 302
        if annotation is not None and deleted and "_popup" not in request.POST:
            return HttpResponseRedirect(self._back_to(request, annotation))
        return response

    def _next(self, request) -> dict:
        """``?next=``, if it is a page of this site (never an open redirect)."""
        target = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return {"next": target} if target and safe else {}

    def _back_to(self, request, annotation) -> str:
        return self._next(request).get("next") or reverse(
            "admin:claims_claim_change", args=[annotation.claim_id]
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        sources = list(data.get("sources") or [])
        if new := form.new_source():
            sources.append(new)
        fields = {name: data[name] for name in ("error_type", "correction", "note", "severity")}
        if change:
            services.annotation_update(
                obj,
                by=request.user,
                version=data.get("seen_version"),
                start=data["start"],
                end=data["end"],
                sources=sources,
                **fields,
            )
            return
        saved = services.annotation_create(
            claim=data["claim"],
            reviewer=request.user,
            start=data["start"],
            end=data["end"],
            sources=sources,
            **fields,
        )
        obj.pk, obj.reviewer, obj._state.adding = saved.pk, saved.reviewer, False

    def save_related(self, request, form, formsets, change):
        pass  # sources were set by the service in save_model

    def delete_model(self, request, obj):
        services.annotation_delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for annotation in queryset:
                if not permissions.may_delete_work(request.user, annotation):
                    raise PermissionDenied
                services.annotation_delete(annotation, by=request.user)


class VerdictForm(LabelForm):
    class Meta:
        model = Verdict
        fields = ["claim", "label", "note"]

    def clean(self):
        data = super().clean()
        if (
            not self.instance.pk
            and Verdict.objects.filter(claim=data.get("claim"), reviewer=self.user).exists()
        ):
            raise ValidationError("You already gave a verdict on this claim; change that one.")
        self.claim_and_owner()
        return data


@admin.register(Verdict)
class VerdictAdmin(ReviewerWorkAdmin):
    form = VerdictForm
    list_display = ["claim_text", "label", "reviewer", "updated"]
    list_filter = ["label", ("reviewer", UsedRelatedFilter), ClaimArticleFilter]
    list_select_related = ["claim", "reviewer"]
    search_fields = ["claim__text", "note"]
    autocomplete_fields = ["claim"]
    fields = ["claim", "label", "note", "seen_version", "reviewer", "created_at", "updated_at"]

    @admin.display(description="claim", ordering="claim")
    def claim_text(self, verdict):
        return shortened(f"#{verdict.claim_id} {verdict.claim.text}", 160)

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, verdict):
        return short_date(verdict.updated_at)

    def save_model(self, request, obj, form, change):
        saved = services.verdict_set(
            claim=obj.claim,
            reviewer=obj.reviewer if change else request.user,
            label=form.cleaned_data["label"],
            note=form.cleaned_data["note"],
            by=request.user,
            version=form.cleaned_data.get("seen_version") if change else None,
        )
        obj.pk, obj.reviewer, obj._state.adding = saved.pk, saved.reviewer, False
