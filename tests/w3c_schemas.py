"""The W3C's own JSON schemas for the Web Annotation Data Model's MUST rules
(tests/fixtures/w3c, see its README), as a function that lists what a document breaks."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

W3C = Path(__file__).resolve().parent / "fixtures" / "w3c"


@cache
def must_validators() -> dict[str, Draft4Validator]:
    """One validator per MUST assertion, by file name, resolving the shared definitions.
    Formats ("uri", "date-time") are checked: rfc3986-validator and rfc3339-validator."""
    schemas = [json.loads(path.read_text()) for path in sorted(W3C.glob("*/*.json"))]
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in schemas
    )
    return {
        schema["id"]: Draft4Validator(
            schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
        )
        for schema in schemas
        if schema.get("assertionType") == "must"
    }


def must_failures(annotation: dict) -> list[str]:
    """The MUST assertions ``annotation`` fails, as "assertion: message"."""
    return [
        f"{name}: {error.message}"
        for name, validator in must_validators().items()
        for error in validator.iter_errors(annotation)
    ]
