"""The editor's adjudication page: every submitted review of an article side by side, and
a decision on each candidate label. ``services.article_review`` finds the candidates,
``services.article_adjudicate`` saves the decisions; the form only shows and reads them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from claims import permissions, services
from claims.adjudication_forms import ArticleAdjudicationForm
from claims.models import Adjudication, Article, Assignment


def adjudicate_view(model_admin, request, pk):
    if not permissions.has(request.user, permissions.ADJUDICATE):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=pk)
    submitted = Assignment.objects.submitted().filter(article=article).select_related("reviewer")
    reviewers = sorted((a.reviewer for a in submitted), key=lambda r: r.get_username())
    needed = services.adjudication_required_reviews()
    form = None
    if len(reviewers) >= needed:  # otherwise the page explains why there is no form
        review = services.article_review(article=article, reviewers=reviewers)
        form = ArticleAdjudicationForm(review, request.POST if request.method == "POST" else None)
    if form and request.method == "POST" and form.is_valid():
        try:
            services.article_adjudicate(
                article=article,
                editor=request.user,
                decisions=form.decisions(),
                versions=form.versions(),
            )
        except services.StaleVersion:
            form = _after_stale_save(article, reviewers, request.POST, seen=form.versions())
        except ValidationError as error:
            form.add_error(error)
        else:
            model_admin.message_user(
                request, f"Saved the final labels of “{article}”.", messages.SUCCESS
            )
            return redirect(reverse("admin:claims_article_change", args=[article.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": f"Adjudicate “{article}”",
        "reviewers": reviewers,
        "needed": needed,
        "form": form,
    }
    return render(request, "admin/claims/article/adjudicate.html", context)


def _after_stale_save(article, reviewers, posted, *, seen: dict[int, int]):
    """The page again after another editor saved some of these claims meanwhile: this
    editor's decisions kept, each such claim named and marked with its current version, so
    saving again (after looking) replaces theirs knowingly."""
    current = dict(
        Adjudication.objects.filter(claim__article=article).values_list("claim_id", "version")
    )
    stale = {pk: version for pk, version in current.items() if seen.get(pk, version) != version}
    data = posted.copy()
    for pk, version in stale.items():
        data[f"claim-{pk}-seen_version"] = version
    form = ArticleAdjudicationForm(
        services.article_review(article=article, reviewers=reviewers), data
    )
    form.is_valid()
    numbers = sorted(stale)  # a claim's number is its id, as the API gives it
    form.add_error(
        ValidationError(
            "Another editor saved the final labels of claim "
            f"{', '.join(f'#{number}' for number in numbers)} after you opened this page, so "
            "nothing was saved. Your decisions are kept below: open the page in another tab "
            "to see theirs, or save again to replace them with yours."
        )
    )
    return form
