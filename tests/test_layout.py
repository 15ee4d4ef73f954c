"""The layout shows the architecture: read from the source files, no database.

claims/text/ holds the pure text algorithms and imports nothing of Django or of the rest of
the app, so a reader (and a test) can trust them without a database.
"""

import ast
import sys
from pathlib import Path

CLAIMS = Path(__file__).resolve().parent.parent / "claims"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
    return names


def test_text_algorithms_import_neither_django_nor_the_rest_of_the_app():
    modules = sorted((CLAIMS / "text").glob("*.py"))
    assert len(modules) > 1
    for path in modules:
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert top != "django", f"{path.name} imports {name}"
            if top == "claims":
                assert name.startswith("claims.text"), f"{path.name} imports {name}"


def test_importers_read_and_leave_storing_to_the_services():
    modules = sorted((CLAIMS / "importers").rglob("*.py"))
    assert len(modules) > 1
    for path in modules:
        for name in imported_modules(path):
            assert not name.startswith(
                ("claims.models", "claims.admin", "claims.api", "claims.exports")
            ), f"{path.relative_to(CLAIMS)} imports {name}"


def test_no_module_is_named_after_a_standard_library_one():
    # ``from claims.exports import csv`` beside ``import csv`` reads as the standard library
    # and hides it in that module.
    shadowing = [
        str(path.relative_to(CLAIMS))
        for path in CLAIMS.rglob("*.py")
        if (path.parent.name if path.name == "__init__.py" else path.stem)
        in sys.stdlib_module_names
    ]
    assert shadowing == []
