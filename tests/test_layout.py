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


def private_imports(path: Path) -> list[str]:
    """Names with a leading underscore that ``path`` takes from another module of the app:
    ``from claims.x import _name``, or ``x._name`` where ``x`` is an imported app module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    modules, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("claims"):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{node.module}.{alias.name}")
                modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name.startswith("claims"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr != "_meta"  # Django's public model API
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_module_of_the_app_uses_another_ones_private_names():
    # A helper shared between packages is public, in a module named for it (exports/sql.py,
    # exports/postgres_json.py): a private one can change without warning its users.
    found = {
        str(path.relative_to(CLAIMS)): names
        for path in CLAIMS.rglob("*.py")
        if "migrations" not in path.parts and (names := private_imports(path))
    }
    assert found == {}


def test_models_import_no_workflow_export_importer_admin_or_api():
    modules = sorted((CLAIMS / "models").glob("*.py"))
    assert modules
    for path in modules:
        for name in imported_modules(path):
            above = ("claims.services", "claims.exports", "claims.importers", "claims.admin")
            assert not name.startswith((*above, "claims.api")), f"models/{path.name}: {name}"
