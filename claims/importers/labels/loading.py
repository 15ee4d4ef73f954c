"""Storing every label set of some files, each in its own transaction, with a report:
what was stored, what was left out on purpose (notes), what could not be (problems)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from claims import services
from claims.importers.articles import ImportProblem
from claims.importers.labels.sets import LabelSet


@dataclass
class LabelReport:
    articles: set = field(default_factory=set)
    created: set = field(default_factory=set)
    annotations: int = 0
    verdicts: int = 0
    reviewers: set = field(default_factory=set)
    already_stored: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Labels: {len(self.articles)} article{'s' * (len(self.articles) != 1)} "
            f"({len(self.created)} new), {self.annotations} annotations and {self.verdicts} "
            f"verdicts by {len(self.reviewers)} reviewers, {self.already_stored} label sets "
            f"already stored, {len(self.problems)} failed."
        )


def load(items: Iterable[LabelSet | ImportProblem], *, create_error_types: bool) -> LabelReport:
    report = LabelReport()
    for item in items:
        if isinstance(item, ImportProblem):
            report.problems.append(f"{item.where}: {item.message}")
            continue
        report.notes += item.notes
        try:
            result = services.label_set_import(item, create_error_types=create_error_types)
        except ValidationError as error:
            report.problems.append(f"{item.where}: {'; '.join(error.messages)}")
            continue
        except DatabaseError as error:  # e.g. text the database cannot store
            report.problems.append(f"{item.where}: the database refused it: {error}".strip())
            continue
        report.articles.add(result.article.pk)
        if result.article_created:
            report.created.add(result.article.pk)
        report.annotations += result.annotations
        report.verdicts += result.verdicts
        report.already_stored += result.already_stored
        if result.annotations or result.verdicts:
            report.reviewers.add(item.reviewer)
    return report
