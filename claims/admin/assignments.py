"""Assignments in the admin: a reviewer's queue, editors' progress views and actions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html

from claims import permissions, services
from claims.admin.display import short_date, shortened
from claims.admin.filters import ArticleFilter, ClaimArticleFilter, UsedRelatedFilter
from claims.admin.history import HistoryAdmin
from claims.admin.paging import LargeTableAdmin
from claims.models import Adjudication, Assignment

State = Assignment.State


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["article", "reviewer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reviewer" in self.fields:
            self.fields["reviewer"].queryset = services.eligible_reviewers()


@admin.register(Assignment)
class AssignmentAdmin(LargeTableAdmin, HistoryAdmin):
    """Reviewers see "my assignments" with their progress; editors see everyone's."""

    form = AssignmentForm
    list_display = [
        "article_title",
        "reviewer",
        "state",
        "progress",
        "assigned",
        "submitted",
        "annotate_link",
    ]
    list_filter = ["state", ("reviewer", UsedRelatedFilter), ArticleFilter]
    list_select_related = ["article", "reviewer"]
    # Newest first, from the primary key's index, and no sorting by a column: ordered by
    # one without an index, SQLite works out the progress of every assignment (counts of
    # annotations and verdicts) before sorting them, seconds at 50,000 assignments.
    ordering = ["-pk"]
    sortable_by = []
    search_fields = ["article__title", "reviewer__username"]
    readonly_fields = ["state", "assigned_by", "assigned_at", "submitted_at"]
    actions = ["submit", "reopen"]
    change_list_template = "admin/claims/assignment/change_list.html"

    def get_queryset(self, request):
        # Each row shows its article's title: not its text, nor the page it came from.
        queryset = super().get_queryset(request).defer("article__text", "article__source_html")
        return permissions.visible_assignments(request.user, queryset.with_progress())

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "article", "reviewer"] if obj else self.readonly_fields

    def has_add_permission(self, request):
        return permissions.manages_reviews(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # states move only through the submit and reopen actions

    @admin.display(description="article", ordering="article__title")
    def article_title(self, assignment):
        return shortened(assignment.article.title, 80)  # wraps: unlike a foreign key column

    @admin.display(description="progress")
    def progress(self, assignment):
        return (
            f"{assignment.annotation_total} error(s) tagged, "
            f"{assignment.judged_total} of {assignment.claim_total} claims judged"
        )

    @admin.display(description="assigned", ordering="assigned_at")
    def assigned(self, assignment):
        return short_date(assignment.assigned_at)

    @admin.display(description="submitted", ordering="submitted_at")
    def submitted(self, assignment):
        return short_date(assignment.submitted_at)

    @admin.display(description="workspace")
    def annotate_link(self, assignment):
        url = reverse("admin:claims_article_annotate", args=[assignment.article_id])
        return format_html('<a href="{}">Annotate</a>', url)

    def save_model(self, request, obj, form, change):
        created = services.assignments_create(
            article=obj.article, reviewers=[obj.reviewer], by=request.user
        )
        saved = (
            created[0]
            if created
            else Assignment.objects.get(article=obj.article, reviewer=obj.reviewer)
        )
        obj.pk, obj._state.adding = saved.pk, False

    def _move(self, request, queryset, move, done: str):
        try:
            with transaction.atomic():  # all selected, or none
                for assignment in queryset:
                    move(assignment, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)

    @admin.action(description="Submit my review of the selected articles")
    def submit(self, request, queryset):
        """Submit each selected review that can be; say which were not, and why. Reviews
        are independent, so one that cannot be submitted does not hold back the others."""
        submitted, refused = [], []
        for assignment in queryset.select_related("article", "reviewer").order_by("article__title"):
            name = f"“{assignment.article.title}”"
            if assignment.reviewer_id != request.user.pk:
                refused.append(f"{name} is {assignment.reviewer}’s review; only they submit it")
                continue
            if assignment.state == State.SUBMITTED:
                refused.append(f"{name} was already submitted")
                continue
            try:
                services.assignment_submit(assignment, by=request.user)
            except ValidationError as error:
                refused.append(f"{name}: {' '.join(error.messages)}")
            else:
                submitted.append(name)
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not request.POST.get("select_across") and len(selected) > len(submitted + refused):
            missing = len(selected) - len(submitted + refused)
            refused.append(f"{missing} selected review(s) were not found (deleted, or not yours)")
        if submitted:
            self.message_user(
                request,
                f"Submitted your review of {', '.join(submitted)}: read-only to you now, and "
                "the other reviewers' work on these articles is visible to you.",
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                f"Not submitted: {'; '.join(refused)}."
                if submitted
                else f"Nothing was submitted: {'; '.join(refused)}.",
                messages.WARNING if submitted else messages.ERROR,
            )

    @admin.action(description="Reopen the selected reviews (editors)")
    def reopen(self, request, queryset):
        if not permissions.manages_reviews(request.user):
            raise PermissionDenied
        self._move(request, queryset, services.assignment_reopen, "Reopened.")

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if permissions.manages_reviews(request.user):
            extra_context["per_reviewer"] = progress_per("reviewer__username")
            extra_context["per_article"] = progress_per(
                "article__title", Assignment.objects.filter(article_id__in=articles_in_review())
            )
            extra_context["articles_shown"] = ARTICLES_IN_PROGRESS_TABLE
        return super().changelist_view(request, extra_context)


# Articles in the "progress per article" table: those still in review, newest first. A
# table of every article would list tens of thousands of rows above the list itself.
ARTICLES_IN_PROGRESS_TABLE = 20


def articles_in_review() -> list[int]:
    return list(
        Assignment.objects.open()
        .order_by("-article_id")
        .values_list("article_id", flat=True)
        .distinct()[:ARTICLES_IN_PROGRESS_TABLE]
    )


def progress_per(field: str, assignments=None) -> list[dict]:
    assignments = Assignment.objects.all() if assignments is None else assignments
    return list(
        assignments.values(name=F(field))
        .annotate(
            assigned=Count("pk", filter=Q(state=State.ASSIGNED)),
            in_progress=Count("pk", filter=Q(state__in=[State.IN_PROGRESS, State.REOPENED])),
            submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
        )
        .order_by("name")
    )


class AssignForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = services.eligible_reviewers().order_by("username")


class DistributeForm(forms.Form):
    reviews_per_article = forms.IntegerField(min_value=1, max_value=20, initial=2)


def names(usernames: list[str]) -> str:
    """“ann”, “ann and ben”, “ann, ben and cat”."""
    if len(usernames) < 3:
        return " and ".join(usernames)
    return f"{', '.join(usernames[:-1])} and {usernames[-1]}"


def assignments_made(articles, created, *, picked=()) -> tuple[str, int]:
    """What an assigning action did, article by article: who was added, and who of the
    ``picked`` reviewers already was; and the message's level (a warning when no one was
    added). Shown as text: the admin's message template escapes it."""
    added: dict[int, list[str]] = {}
    for assignment in created:
        added.setdefault(assignment.article_id, []).append(assignment.reviewer.username)
    sentences = []
    for article in articles:
        new = added.get(article.pk, [])
        already = [reviewer.username for reviewer in picked if reviewer.username not in new]
        were = "was" if len(already) == 1 else "were"
        if new:
            sentences.append(f"Assigned {names(new)} to “{article.title}”.")
            if already:
                sentences.append(f"{names(already)} {were} already assigned.")
        elif already:
            sentences.append(f"{names(already)} {were} already assigned to “{article.title}”.")
    if created:
        return " ".join(sentences), messages.SUCCESS
    if not sentences:
        sentences = ["the selected articles have their reviewers."]
    return f"No one was assigned: {' '.join(sentences)}", messages.WARNING


def _article_action(model_admin, request, queryset, *, form_class, title, name, assign, picked):
    """An editor's action on selected articles with an intermediate form: show the form,
    then call ``assign(form.cleaned_data)``, which returns the assignments it made, and say
    who was assigned to what (``picked(form.cleaned_data)``: the reviewers asked for)."""
    if not permissions.manages_reviews(request.user):
        raise PermissionDenied
    submitted = any(field in request.POST for field in form_class.base_fields)
    form = form_class(request.POST if submitted else None)
    if not form.is_valid():
        return render(
            request,
            "admin/claims/article/assign.html",
            {
                **model_admin.admin_site.each_context(request),
                "title": title,
                "form": form,
                "articles": queryset,
                "action": name,
                "opts": model_admin.model._meta,
            },
        )
    try:
        with transaction.atomic():  # every selected article, or none
            created = assign(form.cleaned_data)
    except ValidationError as error:
        model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
    else:
        articles = queryset.only("pk", "title").order_by("title", "pk")
        message, level = assignments_made(articles, created, picked=picked(form.cleaned_data))
        model_admin.message_user(request, message, level)
    return redirect(request.get_full_path())


@admin.action(description="Assign the selected articles to reviewers…", permissions=["assign"])
def assign_to_reviewers(model_admin, request, queryset):
    return _article_action(
        model_admin,
        request,
        queryset,
        form_class=AssignForm,
        title="Assign to reviewers",
        name="assign_to_reviewers",
        assign=lambda data: [
            made
            for article in queryset
            for made in services.assignments_create(
                article=article, reviewers=data["reviewers"], by=request.user
            )
        ],
        picked=lambda data: data["reviewers"],
    )


@admin.action(
    description="Distribute the selected articles among the least-loaded reviewers…",
    permissions=["assign"],
)
def distribute_to_reviewers(model_admin, request, queryset):
    return _article_action(
        model_admin,
        request,
        queryset,
        form_class=DistributeForm,
        title="Distribute among reviewers",
        name="distribute_to_reviewers",
        assign=lambda data: services.assignments_distribute(
            reviews_per_article=data["reviews_per_article"], articles=queryset, by=request.user
        ),
        picked=lambda data: (),  # the service picks: no one was asked for by name
    )


@admin.register(Adjudication)
class AdjudicationAdmin(LargeTableAdmin, HistoryAdmin):
    """Final labels are made on the adjudication page; here they are listed, with history."""

    list_display = ["claim_text", "verdict", "editor", "updated"]
    list_filter = ["verdict", ("editor", UsedRelatedFilter), ClaimArticleFilter]
    ordering = ["-pk"]  # the model's goes through the claim to the article: a join and a sort
    sortable_by = []  # likewise any column: none has an index to read it in order
    list_select_related = ["claim", "editor"]
    readonly_fields = ["claim", "editor", "verdict", "note", "created_at", "updated_at"]

    def get_queryset(self, request):
        return permissions.visible_adjudications(request.user, super().get_queryset(request))

    @admin.display(description="claim", ordering="claim")
    def claim_text(self, adjudication):
        return shortened(f"#{adjudication.claim_id} {adjudication.claim.text}", 160)

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, adjudication):
        return short_date(adjudication.updated_at)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
