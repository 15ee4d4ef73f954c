"""Revised articles in the admin: revise the text, read past revisions as diffs, find the
labels a revision orphaned. The work is done by ``services.article_revise``."""

from difflib import HtmlDiff

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from claims import permissions, services
from claims.models import Anchor, Annotation, Article, ArticleRevision, Claim, FinalAnnotation


class ReviseForm(forms.Form):
    title = forms.CharField(max_length=500, required=False)
    # Stored exactly as given (bar line endings), as on import: offsets refer to it.
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 30, "cols": 100}), strip=False)


def _editor_article(request, pk) -> Article:
    if not permissions.may_revise_article(request.user):
        raise PermissionDenied
    return get_object_or_404(Article, pk=pk)


def _context(model_admin, request, article, title, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": title,
        **extra,
    }


def revise_view(model_admin, request, pk):
    article = _editor_article(request, pk)
    initial = {"title": article.title, "text": article.text}
    form = ReviseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.article_revise(article=article, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            labels = {
                kind.label.lower(): report.annotations[kind] + report.final_labels[kind]
                for kind in Anchor
            }
            model_admin.message_user(
                request,
                "Revised. Labels: "
                + ", ".join(f"{count} {kind}" for kind, count in labels.items())
                + ".",
                messages.WARNING if labels["orphaned"] else messages.SUCCESS,
            )
            return redirect(reverse("admin:claims_article_revisions", args=[article.pk]))
    return render(
        request,
        "admin/claims/article/revise.html",
        _context(model_admin, request, article, f"Revise “{article}”", form=form),
    )


def revisions_view(model_admin, request, pk):
    article = _editor_article(request, pk)
    context = _context(
        model_admin,
        request,
        article,
        f"Revisions of “{article}”",
        revisions=article.revisions.select_related("revised_by"),
        orphaned_annotations=Annotation.objects.filter(
            claim__article=article, anchor=Anchor.ORPHANED
        ).select_related("claim", "reviewer", "error_type"),
        orphaned_final_labels=FinalAnnotation.objects.filter(
            adjudication__claim__article=article, anchor=Anchor.ORPHANED
        ).select_related("adjudication__claim", "error_type"),
        deleted_annotations=_deleted_annotations(article),
    )
    return render(request, "admin/claims/article/revisions.html", context)


def revision_diff_view(model_admin, request, pk, revision_pk):
    """One revision's text against the text that replaced it (the next revision's, or the
    current one)."""
    article = _editor_article(request, pk)
    revision = get_object_or_404(ArticleRevision, pk=revision_pk, article=article)
    later = (
        article.revisions.filter(revised_at__gte=revision.revised_at, pk__gt=revision.pk)
        .order_by("revised_at", "pk")
        .first()
    )
    new_text = later.text if later else article.text
    # HtmlDiff escapes the text it puts in the table (&, <, >).
    table = HtmlDiff(wrapcolumn=80).make_table(
        revision.text.splitlines(),
        new_text.splitlines(),
        fromdesc=f"before the revision of {revision.revised_at:%Y-%m-%d %H:%M}",
        todesc="after it",
        context=True,
    )
    context = _context(
        model_admin,
        request,
        article,
        f"Revision of “{article}”",
        revision=revision,
        diff=mark_safe(table),  # escaped by HtmlDiff, see above
    )
    return render(request, "admin/claims/article/revision_diff.html", context)


def _deleted_annotations(article):
    """The last record of each annotation deleted from ``article`` (on any of its claims,
    past or present), linking to its history page, where an editor can restore it."""
    # Claims made on import have no history row (bulk_create), so both are asked.
    on_article = Q(claim_id__in=article.claims.values("id")) | Q(
        claim_id__in=Claim.history.filter(article_id=article.pk).values("id")
    )
    return (
        Annotation.history.filter(on_article, history_type="-")
        .exclude(id__in=Annotation.objects.values("id"))
        .select_related("history_user", "error_type", "reviewer")
        .order_by("-history_date")
    )
