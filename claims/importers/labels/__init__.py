"""Labelled data in from other tools: doccano JSONL, Label Studio JSON, and our own export.

``label_file(path)`` tells such a file by its shape (not its name) and reads it into
``LabelSet``s and ``ImportProblem``s; it answers None for a plain article file, which
``claims.importers.articles`` reads. ``claims.services.label_sets`` stores what was read.
"""

from collections.abc import Iterator
from pathlib import Path

from claims.importers.articles import ImportProblem
from claims.importers.labels import doccano, factcheck, files, labelstudio
from claims.importers.labels.sets import LabelSet

__all__ = ["LabelSet", "label_file"]


def label_file(path: Path) -> Iterator[LabelSet | ImportProblem] | None:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        first = files.first_line(path)
        if doccano.looks_like(first):
            return _doccano(files.json_lines(path))
        if factcheck.looks_like(first):
            return factcheck.label_sets(files.json_lines(path))
    elif suffix == ".json":
        document = files.json_document(path)
        if isinstance(document, list) and document:
            if labelstudio.looks_like(document[0]):
                return _labelstudio(path, document)
            if doccano.looks_like(document[0]):
                return _doccano((f"{path}[{i}]", item) for i, item in enumerate(document))
            if factcheck.looks_like(document[0]):
                return factcheck.label_sets((f"{path}[{i}]", r) for i, r in enumerate(document))
    return None


def _doccano(lines) -> Iterator[LabelSet | ImportProblem]:
    for where, item in lines:
        yield item if isinstance(item, ImportProblem) else doccano.label_set(where, item)


def _labelstudio(path: Path, tasks: list) -> Iterator[LabelSet | ImportProblem]:
    for number, task in enumerate(tasks, start=1):
        named = f" (id {task['id']})" if isinstance(task, dict) and "id" in task else ""
        yield from labelstudio.label_sets(f"{path} task {number}{named}", task)
