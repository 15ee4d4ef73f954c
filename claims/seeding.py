"""Loading ``seeds/``: the seed article, two reviewers' reviews and the editor's final labels.

Everything goes through the same services as the admin and the API. Running it twice
changes nothing the second time: articles are found by their text, and an article whose
seed reviews already exist is left alone.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from claims import services
from claims.models import Article, Assignment, Claim, ErrorType
from claims.roles import Role, add_roles


@dataclass
class SeedSummary:
    articles: int = 0
    annotations: int = 0
    verdicts: int = 0
    final_labels: int = 0


def seed_user(username: str, role: Role):
    """Seed people exist to own seed work; they cannot log in (no usable password)."""
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.is_staff = True
        user.save()
    add_roles(user, role)
    return user


def claim_holding(article: Article, quote: str) -> tuple[Claim, int]:
    """The claim holding ``quote``, which must occur exactly once in the article."""
    at = article.text.find(quote)
    if at == -1 or article.text.find(quote, at + 1) != -1:
        raise ValueError(f"“{quote}” must occur exactly once in “{article.title}”.")
    return article.claims.get(start__lte=at, end__gte=at + len(quote)), at


def _review(article, reviewer, review: dict, sources: dict, summary: SeedSummary) -> dict:
    """Write one reviewer's review; returns their annotations by quote."""
    by_quote = {}
    for item in review.get("annotations", []):
        claim, at = claim_holding(article, item["quote"])
        by_quote[item["quote"]] = services.annotation_create(
            claim=claim,
            reviewer=reviewer,
            start=at,
            end=at + len(item["quote"]),
            error_type=ErrorType.objects.get(slug=item["error_type"]),
            correction=item.get("correction", ""),
            note=item.get("note", ""),
            severity=item.get("severity", "major"),
            sources=[sources[key] for key in item.get("sources", [])],
        )
        summary.annotations += 1
    for item in review.get("verdicts", []):
        claim, _ = claim_holding(article, item["claim_containing"])
        services.verdict_set(
            claim=claim, reviewer=reviewer, label=item["label"], note=item.get("note", "")
        )
        summary.verdicts += 1
    return by_quote


def _adjudicate(article, gold: dict, annotations: dict, summary: SeedSummary) -> None:
    decisions = defaultdict(lambda: ([], "", ""))
    for item in gold.get("labels", []):
        claim, at = claim_holding(article, item["quote"])
        labels = decisions[claim][0]
        labels.append(
            services.FinalLabel(
                start=at,
                end=at + len(item["quote"]),
                error_type=ErrorType.objects.get(slug=item["error_type"]),
                correction=item.get("correction", ""),
                note=item.get("note", ""),
                severity=item.get("severity", "major"),
                from_annotations=tuple(annotations[name][item["quote"]] for name in item["from"]),
            )
        )
        decisions[claim] = (labels, "", "")
        summary.final_labels += 1
    for item in gold.get("verdicts", []):
        claim, _ = claim_holding(article, item["claim_containing"])
        decisions[claim] = (decisions[claim][0], item["verdict"], item.get("note", ""))
    services.article_adjudicate(
        article=article, editor=seed_user(gold["editor"], Role.EDITOR), decisions=dict(decisions)
    )


@transaction.atomic
def load_seeds(directory: Path) -> SeedSummary:
    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    summary = SeedSummary()
    sources = {
        key: services.source_get_or_create(new=services.NewSource(**fields), added_by=None)
        for key, fields in gold["sources"].items()
    }
    for entry in gold["articles"]:
        text = (directory / entry["file"]).read_bytes().decode("utf-8")
        result = services.article_import(
            text=text,
            first_line_is_title=True,  # a plain-text file, like import_articles' .txt
            outlet=entry.get("outlet", ""),
            byline=entry.get("byline", ""),
            language=entry.get("language", "en"),
        )
        article = result.article
        summary.articles += result.created
        reviews = entry.get("reviews", {})
        if Assignment.objects.filter(article=article, reviewer__username__in=reviews).exists():
            continue  # seeded before
        editor = seed_user(entry.get("adjudication", {}).get("editor", "eve"), Role.EDITOR)
        annotations = {}
        for name, review in reviews.items():
            reviewer = seed_user(name, Role.REVIEWER)
            services.assignments_create(article=article, reviewers=[reviewer], by=editor)
            annotations[name] = _review(article, reviewer, review, sources, summary)
            if review.get("submitted"):
                services.assignment_submit(article.assignments.get(reviewer=reviewer), by=reviewer)
        if "adjudication" in entry:
            _adjudicate(article, entry["adjudication"], annotations, summary)
    return summary
