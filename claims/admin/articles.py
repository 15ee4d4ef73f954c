from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from claims import permissions, services
from claims.highlighting import error_badges, highlighted
from claims.models import Article, Claim, content_hash


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ["order", "kind", "claim_text", "errors"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    classes = ["fc-claims"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_annotations()

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="text (errors highlighted)")
    def claim_text(self, claim):
        return highlighted(claim, list(claim.annotations.all()))

    @admin.display(description="error types")
    def errors(self, claim):
        return error_badges(claim.annotations.all())


class ArticleForm(forms.ModelForm):
    url = forms.URLField(required=False, max_length=1000, assume_scheme="https")

    class Meta:
        model = Article
        fields = ["title", "text", "url", "outlet", "byline", "published_on", "language"]

    def clean_text(self):
        text = services.canonical_text(self.cleaned_data["text"])
        twin = Article.objects.filter(content_hash=content_hash(text)).first()
        if twin is not None:
            raise ValidationError(
                f"This text is already stored as article {twin.pk} (“{twin.title}”).",
                code="duplicate_text",
            )
        return text


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "outlet",
        "published_on",
        "language",
        "claim_count",
        "annotation_count",
        "imported_at",
    ]
    list_filter = ["language", "outlet", "published_on"]
    search_fields = ["title", "url", "outlet", "byline"]
    date_hierarchy = "imported_at"
    inlines = [ClaimInline]
    readonly_fields = ["content_hash", "imported_by", "imported_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                claim_total=Count("claims", distinct=True),
                annotation_total=Count("claims__annotations", distinct=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # Offsets everywhere point into the stored text: once stored, it never changes.
        return [*self.readonly_fields, "text"] if obj else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    @admin.display(description="claims", ordering="claim_total")
    def claim_count(self, article):
        return article.claim_total

    @admin.display(description="annotations", ordering="annotation_total")
    def annotation_count(self, article):
        return article.annotation_total

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        data = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        result = services.article_import(**data, imported_by=request.user)
        obj.pk, obj._state.adding = result.article.pk, False


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
            self.cleaned_data["at"] = self.claim.span_of(before)[0]
        return self.cleaned_data


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["short_text", "kind", "article", "order", "error_count"]
    list_filter = ["kind", "annotations__error_type", "annotations__reviewer", "article"]
    list_select_related = ["article"]
    search_fields = ["text", "article__title"]
    fields = ["article", "order", "paragraph", "kind", "start", "end", "marked_text", "errors"]
    readonly_fields = ["article", "order", "paragraph", "start", "end", "marked_text", "errors"]
    actions = ["merge_with_next"]
    change_form_template = "admin/claims/claim/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(annotation_total=Count("annotations"))

    def has_add_permission(self, request):
        return False  # claims come from splitting an article, never typed in

    @admin.display(description="claim", ordering="text")
    def short_text(self, claim):
        return claim.text[:120] + ("…" if len(claim.text) > 120 else "")

    @admin.display(description="errors", ordering="annotation_total")
    def error_count(self, claim):
        return claim.annotation_total

    @admin.display(description="text")
    def marked_text(self, claim):
        annotations = claim.annotations.select_related("error_type", "reviewer")
        return highlighted(claim, list(annotations))

    @admin.display(description="error types")
    def errors(self, claim):
        return error_badges(claim.annotations.select_related("error_type"))

    @admin.action(
        description="Merge each selected claim with the claim after it", permissions=["change"]
    )
    def merge_with_next(self, request, queryset):
        try:
            for claim in queryset.order_by("-article_id", "-order"):
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
        if not permissions.may(request.user, "change", Claim):
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
                    format_html("Split into #{} and #{}.", left.order, right.order),
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
