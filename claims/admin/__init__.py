"""The reviewers' main tool. Declarative ModelAdmins; every write goes through services."""

from django.contrib import admin

from claims.admin import annotations, articles, assignments, taxonomy  # noqa: F401  (registers)

admin.site.site_header = "factcheck"
admin.site.site_title = "factcheck"
admin.site.index_title = "Fact-checking desk"
