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
from claims.exports import shape
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


def neighbours(user, article_id: int) -> dict[str, int | None]:
    """The articles before and after this one among the user's assignments, in article
    order, and the next whose review is still open (from the first again past the last):
    where "Submit and next" leads. Four small queries, never the whole list."""
    mine = Assignment.objects.filter(reviewer_id=user.pk).order_by("article_id")

    def first(assignments) -> int | None:
        return assignments.values_list("article_id", flat=True).first()

    open_ = mine.open().exclude(article_id=article_id)
    # Both asked always: the page's query count stays the same wherever the article falls.
    open_after, open_first = first(open_.filter(article_id__gt=article_id)), first(open_)
    return {
        "previous": first(mine.filter(article_id__lt=article_id).reverse()),
        "next": first(mine.filter(article_id__gt=article_id)),
        "next_open": open_after or open_first,
    }


def workspace_view(model_admin, request, pk):
    article = get_object_or_404(Article.objects.only("id", "title", "text"), pk=pk)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    user = request.user
    if request.method == "POST":
        # Only someone who assigns reviews may assign themselves; refused before any write.
        if not permissions.manages_reviews(user):
            raise PermissionDenied
        return _assign_me(model_admin, request, article)

    claims = list(
        Claim.objects.filter(article=article)
        .only("id", "article_id", "order", "start", "end", "kind")  # not the article's text
        .order_by("order")
    )
    visible = permissions.visible_work(user, Annotation.objects.filter(claim__article=article))
    annotations = annotation_rows(visible)
    verdicts = list(
        permissions.visible_work(user, Verdict.objects.filter(claim__article=article))
        .order_by("claim_id", "reviewer__username")
        .values("id", "label", "note", "claim_id", "reviewer__username")
    )
    for verdict in verdicts:
        verdict["claim"] = verdict.pop("claim_id")
        verdict["reviewer"] = verdict.pop("reviewer__username")
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
    nav = {
        name: reverse("admin:claims_article_annotate", args=[article_id])
        for name, article_id in neighbours(user, article.pk).items()
        if article_id is not None
    }

    for row in annotations:
        owner = row.pop("reviewer_id")
        row["may_change"], row["may_delete"] = may_change(owner), may_delete(owner)
    mine = [a for a in annotations if a["reviewer"] == user.get_username()]
    judged = {v["claim"] for v in verdicts if v["reviewer"] == user.get_username()}
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
        "annotations": annotations,
        "verdicts": verdicts,
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
            "next_open": nav.get("next_open"),
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
        "nav": nav,
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


def annotation_rows(annotations) -> list[dict]:
    """The annotations as the API's serializer shows them (the page's script reads both),
    built from two flat queries: model instances and serializers for a thousand rows would
    cost more than the rest of the page."""
    rows = list(
        annotations.order_by(*shape.SPAN_ORDER.fields).values(
            *["id", "start", "end", "quote", "correction", "note", "severity", "reviewer_id"],
            "version",
            *["claim_id", "reviewer__username", "error_type__slug", "error_type__name"],
        )
    )
    sources: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    cited = (
        Annotation.sources.through.objects.filter(annotation__in=annotations.values("pk"))
        .order_by(*(f"source__{field}" for field in shape.SOURCE_ORDER.fields))
        .values_list("annotation_id", "source_id", "source__url", "source__title")
    )
    for annotation_id, source_id, url, title in cited:
        sources[annotation_id].append({"id": source_id, "url": url, "title": title})
    renamed = {
        "claim_id": "claim",
        "reviewer__username": "reviewer",
        "error_type__slug": "error_type",
        "error_type__name": "error_type_name",
    }
    for row in rows:
        for old, new in renamed.items():
            row[new] = row.pop(old)
        row["sources"] = sources[row["id"]]
        # The ETag the API would send for it, so an edit or delete sends the version read.
        row["etag"] = f'"{row["id"]}-{row.pop("version")}"'
    return rows
