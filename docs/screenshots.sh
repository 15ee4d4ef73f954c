#!/usr/bin/env bash
# Retake the README's screenshots of the annotation workspace (docs/workspace-*.png) with the
# browser tests' own machinery, so they show the page as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
FACTCHECK_SCREENSHOTS=docs FACTCHECK_REQUIRE_BROWSER=1 \
  "${PYTHON:-.venv/bin/python}" -m pytest -q tests/browser/test_screenshots.py
