"""The annotation workspace: the whole article, select a span, press a key, type, Enter.

The page is rendered here with a fixed number of queries; ``claims/static/claims/
workspace.js`` then writes through the REST API (annotations, verdicts, submitting), so
every write goes through the same services and permission checks as any API client.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from claims import permissions, services
from claims.api.serializers import AnnotationSerializer, VerdictSerializer
from claims.highlighting import article_with_claims
from claims.models import Annotation, Article, Assignment, Claim, ErrorType, Verdict

# One key per verdict, shown on its button; letters, since digits choose error types.
VERDICT_KEYS = {
    Verdict.Label.ACCURATE: "a",
    Verdict.Label.INACCURATE: "i",
    Verdict.Label.MISLEADING: "m",
    Verdict.Label.UNVERIFIABLE: "u",
    Verdict.Label.NOT_CHECKABLE: "n",
}


def error_type_key(index: int) -> str:
    """Keys 1–9 and 0 for the first ten types in taxonomy order, then Shift with a digit."""
    digit = str((index + 1) % 10)
    return digit if index < 10 else f"⇧{(index - 9) % 10}"


def workspace_view(model_admin, request, pk):
    article = get_object_or_404(Article.objects.only("id", "title", "text"), pk=pk)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    user = request.user
    if request.method == "POST":
        return _assign_me(model_admin, request, article)

    claims = list(
        Claim.objects.filter(article=article)
        .only("id", "article_id", "order", "start", "end", "kind")  # not the article's text
        .order_by("order")
    )
    annotations = list(
        permissions.visible_work(user, Annotation.objects.filter(claim__article=article))
        .select_related("reviewer", "error_type", "claim")  # a claim row, not its article
        .prefetch_related("sources")
        .order_by("start", "id")
    )
    verdicts = list(
        permissions.visible_work(user, Verdict.objects.filter(claim__article=article))
        .select_related("reviewer")
        .order_by("claim_id", "reviewer__username")
    )
    assignment = Assignment.objects.filter(article=article, reviewer=user).first()
    may_label = (
        assignment is not None
        and assignment.is_open
        and permissions.may(user, "add", Annotation)
        and permissions.may(user, "add", Verdict)
    )
    may_change = permissions.work_changer(user, article.pk, Annotation)
    may_delete = permissions.work_changer(user, article.pk, Annotation, "delete")
    error_types = list(ErrorType.objects.filter(is_active=True))
    offer_assign_me = assignment is None and permissions.manages_reviews(user)

    annotation_rows = AnnotationSerializer(annotations, many=True).data
    for row, annotation in zip(annotation_rows, annotations, strict=True):
        row["may_change"] = may_change(annotation)
        row["may_delete"] = may_delete(annotation)
    mine = [a for a in annotations if a.reviewer_id == user.pk]
    judged = {v.claim_id for v in verdicts if v.reviewer_id == user.pk}
    sees_all = permissions.sees_all_work(user)
    workspace = {
        "article": article.pk,
        "user": user.get_username(),
        "sees_all": sees_all,
        "may_label": may_label,
        "assignment": None
        if assignment is None
        else {"id": assignment.pk, "state": assignment.state, "open": assignment.is_open},
        "claims": [
            {
                "id": c.pk,
                "order": c.order,
                "start": c.start,
                "end": c.end,
                "kind": c.kind,
                "kind_label": c.get_kind_display(),
            }
            for c in claims
        ],
        "annotations": annotation_rows,
        "verdicts": VerdictSerializer(verdicts, many=True).data,
        "error_types": [
            {"slug": t.slug, "name": t.name, "key": error_type_key(i)}
            for i, t in enumerate(error_types)
        ],
        "verdict_labels": [
            {"value": value, "label": label, "key": VERDICT_KEYS[value]}
            for value, label in Verdict.Label.choices
        ],
        "urls": {
            "annotations": reverse("annotation-list"),
            "verdicts": reverse("verdict-list"),
            "sources": reverse("source-list"),
            "submit": reverse("assignment-submit", args=[assignment.pk]) if assignment else None,
        },
    }
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": f"Annotate “{article}”",
        "marked_text": article_with_claims(article.text, claims),
        "workspace": workspace,
        "error_types": workspace["error_types"],
        "verdict_labels": workspace["verdict_labels"],
        "assignment": assignment,
        "may_label": may_label,
        "offer_assign_me": offer_assign_me,
        "sees_all": sees_all,
        "progress": {"claims": len(claims), "reviewed": len(judged), "errors": len(mine)},
    }
    return render(request, "admin/claims/article/annotate.html", context)


def _assign_me(model_admin, request, article):
    """An editor opening an article they are not on assigns themselves in one click."""
    here = reverse("admin:claims_article_annotate", args=[article.pk])
    if request.POST.get("action") != "assign_me":
        model_admin.message_user(request, "Nothing to do.", messages.ERROR)
        return redirect(here)
    try:
        services.assignments_create(article=article, reviewers=[request.user], by=request.user)
    except ValidationError as error:
        model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
    else:
        model_admin.message_user(
            request, f"“{article}” is assigned to you: tag away.", messages.SUCCESS
        )
    return redirect(here)
