from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.db.models.functions import Length
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from claims import permissions, services
from claims.admin import (
    adjudication,
    agreement_statistics,
    article_claims,
    article_states,
    paging,
    revisions,
    searching,
    workspace,
)
from claims.admin.assignments import assign_to_reviewers, distribute_to_reviewers
from claims.admin.display import clipped, short_date, shortened
from claims.admin.filters import ArticleFilter, referred_to
from claims.admin.history import HistoryAdmin
from claims.admin.paging import LargeTableAdmin
from claims.highlighting import error_badges, highlighted
from claims.models import (
    Annotation,
    Article,
    Claim,
    ErrorType,
    Verdict,
    content_hash,
    correlated_count,
)


def visible_to(user) -> dict:
    """The annotations and verdicts ``user`` may see, for ``with_annotations()``."""
    return {
        "annotations": permissions.visible_work(user, Annotation.objects.all()),
        "verdicts": permissions.visible_work(user, Verdict.objects.all()),
    }


def visible_annotations(claim) -> list[Annotation]:
    """The claim's annotations as prefetched through ``visible_to()``. A claim that did not
    come that way (a history page rebuilds it from its record) shows none rather than
    everyone's: display methods have no request to ask whose work may be shown."""
    if "annotations" not in getattr(claim, "_prefetched_objects_cache", {}):
        return []
    return list(claim.annotations.all())


class VisibleWorkFilter(admin.SimpleListFilter):
    """Filters claims by annotations the reader may see (blind review), never by others'."""

    field: str

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        matching = permissions.visible_work(request.user, Annotation.objects.all()).filter(
            **{self.field: self.value()}
        )
        if connections[queryset.db].vendor == "postgresql":
            return queryset.filter(Exists(matching.filter(claim=OuterRef("pk"))))
        # SQLite runs a correlated EXISTS once per claim, so counting the list read every
        # claim (0.9 s at a million); the matching claims' ids, gathered once and looked up
        # by the claims' key, count in 75 ms and page in 110 ms.
        return queryset.filter(pk__in=matching.values("claim_id"))


class ErrorTypeFilter(VisibleWorkFilter):
    title = "error type"
    parameter_name = "error_type"
    field = "error_type__slug"

    def lookups(self, request, model_admin):
        return ErrorType.objects.values_list("slug", "name")


class ReviewerFilter(VisibleWorkFilter):
    title = "reviewer"
    parameter_name = "reviewer"
    field = "reviewer__username"

    def lookups(self, request, model_admin):
        # Each reviewer asked once whether they tagged anything the reader may see (an
        # index probe), rather than the distinct names over every annotation.
        visible = permissions.visible_work(request.user, Annotation.objects.all())
        names = (
            referred_to(get_user_model().objects.all(), visible, "reviewer")
            .order_by("username")
            .values_list("username", flat=True)
        )
        return [(name, name) for name in names]


class ArticleForm(forms.ModelForm):
    title = forms.CharField(
        required=False,
        max_length=500,
        help_text="Leave empty to use the text’s first line, which then becomes a heading claim.",
    )
    url = forms.URLField(required=False, max_length=1000, assume_scheme="https", empty_value=None)
    # Stored exactly as given (bar line endings), as import_articles would store it.
    text = forms.CharField(widget=forms.Textarea, strip=False)

    class Meta:
        model = Article
        fields = ["title", "text", "url", "outlet", "byline", "published_on", "language"]

    def clean_text(self):
        text = services.canonical_text(self.cleaned_data["text"])
        if not text.strip():
            raise ValidationError("The article has no text.", code="empty_text")
        twin = Article.objects.filter(content_hash=content_hash(text)).first()
        if twin is not None:
            raise ValidationError(
                f"This text is already stored as article {twin.pk} (“{twin.title}”).",
                code="duplicate_text",
            )
        return text

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not data.get("title") and data.get("text"):
            # Plain text's first line is its title; the import then makes it a heading.
            data["title"] = data["text"].strip().split("\n", 1)[0].strip()[:500]
        return data


class ArticleChangeList(ChangeList):
    """The article list, its claims and visible annotations counted for the page's articles
    only, two grouped queries, after the page is chosen. Counted in the list's query (a
    correlated count per row), SQLite counted them for every article before sorting by a
    column (outlet, language) to find the page: 1.2 s for a reviewer at a million claims,
    whose visible annotations take a check per annotation."""

    def get_results(self, request):
        super().get_results(request)
        page = {article.pk: article for article in self.result_list}  # evaluated, cached
        claims = Claim.objects.filter(article_id__in=page).order_by()
        annotations = visible_to(request.user)["annotations"].filter(claim__article_id__in=page)
        for name, rows in (
            ("claim_total", claims.values_list("article_id").annotate(n=Count("pk"))),
            (
                "annotation_total",
                annotations.order_by().values_list("claim__article_id").annotate(n=Count("pk")),
            ),
        ):
            counted = dict(rows)
            for pk, article in page.items():
                setattr(article, name, counted.get(pk, 0))
        article_states.annotate_page(request.user, page)


@admin.register(Article)
class ArticleAdmin(LargeTableAdmin, admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "outlet",
        "published_on",
        "language",
        "claim_count",
        "annotation_count",
        "my_review",
        "adjudication",
        "imported",
        "annotate_link",
    ]
    # "Imported" as a date filter (today, past 7 days…), not the admin's date hierarchy,
    # which lists the distinct days of every article on each load (0.6 s on SQLite at
    # 25,000 articles, a Python function per row) and again under every search.
    list_filter = ["language", "outlet", "published_on", "imported_at"]
    search_fields = ["title", "url", "outlet", "byline"]
    # Newest first, from the primary key's index: sorted by import time, SQLite counted the
    # claims and annotations of every article before sorting them (1.7 s).
    ordering = ["-pk"]
    actions = [assign_to_reviewers, distribute_to_reviewers]
    readonly_fields = ["content_hash", "imported_by", "imported_at", "saved_html"]
    change_form_template = "admin/claims/article/change_form.html"
    change_list_template = "admin/claims/article/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "statistics/",
                wrap(lambda request: agreement_statistics.statistics_view(self, request)),
                name="claims_statistics",
            ),
            path(
                "<int:pk>/revise/",
                wrap(lambda request, pk: revisions.revise_view(self, request, pk)),
                name="claims_article_revise",
            ),
            path(
                "<int:pk>/revisions/",
                wrap(lambda request, pk: revisions.revisions_view(self, request, pk)),
                name="claims_article_revisions",
            ),
            path(
                "<int:pk>/revisions/<int:revision_pk>/",
                wrap(
                    lambda request, pk, revision_pk: revisions.revision_diff_view(
                        self, request, pk, revision_pk
                    )
                ),
                name="claims_article_revision_diff",
            ),
            path(
                "<int:pk>/adjudicate/",
                wrap(lambda request, pk: adjudication.adjudicate_view(self, request, pk)),
                name="claims_article_adjudicate",
            ),
            path(
                "<int:pk>/source-html/",
                wrap(self.source_html_view),
                name="claims_article_source_html",
            ),
            path(
                "<int:pk>/annotate/",
                wrap(lambda request, pk: workspace.workspace_view(self, request, pk)),
                name="claims_article_annotate",
            ),
            *super().get_urls(),
        ]

    def has_assign_permission(self, request):  # for the assignment actions
        return permissions.manages_reviews(request.user)

    @admin.display(description="agreement between reviewers")
    def agreement(self, article):
        return agreement_statistics.article_agreement_html(article)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # Neither the text (a page of long transcripts is not read in full; a form loads
            # it) nor the saved page (shown on its own page: saved_html links to it).
            .defer("text", "source_html")
        )

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # Offsets everywhere point into the stored text: it changes only through "Revise
        # text", which re-anchors them.
        fields = [*self.readonly_fields, "text"]
        if permissions.sees_all_work(request.user):  # agreement reveals others' reviews
            fields.append("agreement")
        return fields

    @admin.display(description="imported", ordering="imported_at")
    def imported(self, article):
        return short_date(article.imported_at)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_revise"] = permissions.may_revise_article(request.user)
        if obj is not None:  # the claims, as a table rather than an inline form per claim
            context["claim_rows"] = article_claims.claim_rows(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="saved HTML")
    def saved_html(self, article):
        if article.pk is None:
            return "—"
        # Its length from the database: the page itself (megabytes) is not read for this.
        length = (
            Article.objects.filter(pk=article.pk)
            .values_list(Length("source_html"), flat=True)
            .get()
        )
        if not length:
            return "— (imported as text)"
        url = reverse("admin:claims_article_source_html", args=[article.pk])
        return format_html(
            '<a href="{}">The page as imported</a> ({} characters)', url, f"{length:,}"
        )

    def source_html_view(self, request, pk):
        """The saved page as plain text: read, never rendered, so nothing in it runs here."""
        article = get_object_or_404(Article.objects.only("id", "source_html"), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        if not article.source_html:
            raise Http404("This article was not imported from a web page.")
        response = HttpResponse(article.source_html, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="article-{article.pk}.html"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response

    @admin.display(description="workspace")
    def annotate_link(self, article):
        url = reverse("admin:claims_article_annotate", args=[article.pk])
        return format_html('<a href="{}">Annotate</a>', url)

    # The counts do not sort: sorted by one, every article's claims and annotations are
    # counted to find the first hundred (0.9 s at a million claims). ArticleChangeList
    # counts them for the page's articles alone.

    @admin.display(description="claims")
    def claim_count(self, article):
        return article.claim_total

    @admin.display(description="annotations")
    def annotation_count(self, article):
        return article.annotation_total

    @admin.display(description="my review")
    def my_review(self, article):
        return article.my_review

    @admin.display(description="adjudication")
    def adjudication(self, article):
        return article_states.adjudication_state(article.adjudicated_total, article.claim_total)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        data = {name: form.cleaned_data.get(name) for name in ArticleForm.Meta.fields}
        result = services.article_import(**data, imported_by=request.user)
        obj.pk, obj._state.adding = result.article.pk, False


@dataclass(frozen=True)
class AnnotationRow:
    annotation: Annotation
    may_change: bool
    may_delete: bool
    sources: list[tuple[str, str | None]]  # (label, url to link, only when http or https)


def annotation_rows(user, claim: Claim) -> list[AnnotationRow]:
    """The claim's annotations that ``user`` may see (prefetched by ``get_queryset`` under
    blind review), with what they may do to each."""
    annotations = visible_annotations(claim)
    changeable = permissions.changeable_work(user, annotations)
    deletable = permissions.changeable_work(user, annotations, action="delete")
    return [
        AnnotationRow(
            annotation=a,
            may_change=a.pk in changeable,
            may_delete=a.pk in deletable,
            sources=[
                (str(s), s.url if s.url.lower().startswith(("http://", "https://")) else None)
                for s in a.sources.all()
            ],
        )
        for a in annotations
    ]


class SplitForm(forms.Form):
    before = forms.CharField(
        required=False,
        strip=False,
        label="Split before this text",
        help_text="Exact text that starts the second claim; it must occur once in the claim.",
    )
    at = forms.IntegerField(required=False, min_value=0, label="…or at this article offset")

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean(self):
        before, at = self.cleaned_data.get("before"), self.cleaned_data.get("at")
        if bool(before) == (at is not None):
            raise ValidationError("Give either the text to split before or an offset.")
        if before:
            try:
                self.cleaned_data["at"] = self.claim.span_of(before)[0]
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return self.cleaned_data


@admin.register(Claim)
class ClaimAdmin(LargeTableAdmin, HistoryAdmin):
    list_display = ["short_text", "kind", "article_title", "order", "error_count"]
    list_filter = ["kind", ErrorTypeFilter, ReviewerFilter, ArticleFilter]
    # Newest articles first, each in reading order: one walk down the (article, order)
    # index. The model's own order goes through the article's (a join and a sort of every
    # claim), and sorting a million claims by a column without an index takes seconds, so
    # the columns do not sort. The articles' titles come in a query of their own
    # (get_queryset): joined to the claims, SQLite with ANALYZE's statistics read the
    # articles first and sorted every claim (16 s a page).
    list_select_related = False
    ordering = ["-article_id", "order"]
    sortable_by = []
    search_fields = ["text", "article__title"]
    fields = ["article", "order", "paragraph", "kind", "start", "end", "marked_text", "errors"]
    readonly_fields = ["article", "order", "paragraph", "start", "end", "marked_text", "errors"]
    actions = ["merge_with_next"]
    change_form_template = "admin/claims/claim/change_form.html"

    def get_queryset(self, request):
        visible = visible_to(request.user)
        return (
            super()
            .get_queryset(request)
            .with_annotations(**visible)
            .select_related(None)
            .select_related("adjudication__editor")
            .prefetch_related(Prefetch("article", Article.objects.defer("text", "source_html")))
            .annotate(
                # Counted for the rows of the page only (a correlated count): a Count()
                # over the join grouped every claim of the table first.
                annotation_total=correlated_count(
                    visible["annotations"].filter(claim=OuterRef("pk")), "claim"
                )
            )
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        # The claim's text through its index (PostgreSQL: full-text search, or a fragment
        # pasted from it; SQLite: substrings, narrowed by trigrams), as a plain substring
        # search reads every claim (a second and more at a million); the article's title
        # as before, without joining every claim to its article.
        vendor = connections[queryset.db].vendor
        matching = searching.claims_matching(search_term, vendor=vendor)
        if vendor == "postgresql":
            return queryset.filter(matching), False
        # SQLite: counted by its indexes, paged in the list's order (search.Unindexed).
        paging.count_from(request, queryset.filter(matching))
        in_order = searching.claims_matching(search_term, vendor=vendor, indexed=False)
        return queryset.filter(in_order), False

    def has_add_permission(self, request):
        return False  # claims come from splitting an article, never typed in

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["annotation_rows"] = annotation_rows(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_change_permission(self, request, obj=None):
        # The kind is the one field changed here; the merge action asks the model right.
        if obj is None:
            return super().has_change_permission(request)
        return permissions.may_change_claim_kind(request.user, obj)

    def save_model(self, request, obj, form, change):
        services.claim_set_kind(obj, kind=form.cleaned_data["kind"], by=request.user)

    @admin.display(description="claim", ordering="text")
    def short_text(self, claim):
        return shortened(claim.text, 200)

    @admin.display(description="article", ordering="article__title")
    def article_title(self, claim):
        return clipped(claim.article.title)

    @admin.display(description="errors", ordering="annotation_total")
    def error_count(self, claim):
        return claim.annotation_total

    @admin.display(description="text")
    def marked_text(self, claim):
        return highlighted(claim, visible_annotations(claim))

    @admin.display(description="error types")
    def errors(self, claim):
        return error_badges(visible_annotations(claim))

    @admin.action(
        description="Merge each selected claim with the claim after it", permissions=["change"]
    )
    def merge_with_next(self, request, queryset):
        claims = list(queryset.with_article().order_by("-article_id", "-order"))
        if not all(permissions.may_restructure_claims(request.user, c.article) for c in claims):
            self.message_user(
                request,
                "Claims of an article with several reviewers are split and merged by "
                "an editor: it moves everyone's work.",
                messages.ERROR,
            )
            return
        try:
            with transaction.atomic():  # all selected merges, or none
                for claim in claims:
                    services.claim_merge_with_next(claim)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, "Merged.", messages.SUCCESS)

    def get_urls(self):
        split = self.admin_site.admin_view(self.split_view)
        return [path("<int:pk>/split/", split, name="claims_claim_split"), *super().get_urls()]

    def split_view(self, request, pk):
        claim = get_object_or_404(Claim.objects.select_related("article"), pk=pk)
        if not permissions.may_restructure_claims(request.user, claim.article):
            raise PermissionDenied
        form = SplitForm(request.POST or None, claim=claim)
        if request.method == "POST" and form.is_valid():
            try:
                left, right = services.claim_split(claim, at=form.cleaned_data["at"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    format_html("Split into #{} and #{}.", left.pk, right.pk),
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:claims_claim_change", args=[left.pk]))
        context = {
            **self.admin_site.each_context(request),
            "claim": claim,
            "form": form,
            "opts": self.model._meta,
            "title": "Split claim",
        }
        return render(request, "admin/claims/claim/split.html", context)
