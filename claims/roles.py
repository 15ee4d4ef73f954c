"""The roles, defined once: each one's group name and the permissions its group holds.

The migration that makes the groups (0017_roles_from_one_definition), the seeds, the demo
accounts and the tests read them here; nothing else names a group. A migration imports
this module, so it imports no models (a model imported here would be today's, not the
migration's historical one): the permissions are plain codenames, by model.

Who may do what is asked of permissions (``claims.permissions``), never of group
membership: a role is only how an installation hands out a set of them.
"""

from enum import StrEnum


class Role(StrEnum):
    REVIEWER = "reviewer"
    EDITOR = "editor"


# Codenames of claims permissions, by the model they are on (its lowercase name).
_REVIEWER = {
    "article": ["view_article", "add_article"],
    "claim": ["view_claim", "change_claim"],
    "errortype": ["view_errortype"],
    "source": ["view_source", "add_source", "change_source"],
    "annotation": ["view_annotation", "add_annotation", "change_annotation", "delete_annotation"],
    "verdict": ["view_verdict", "add_verdict", "change_verdict", "delete_verdict"],
    "assignment": ["view_assignment"],
    "adjudication": ["view_adjudication"],
    "finalannotation": ["view_finalannotation"],
}
# An editor does all a reviewer does (she may review too), and runs the review.
_EDITOR_ALSO = {
    "article": ["change_article", "delete_article"],
    "claim": ["add_claim", "delete_claim", "export_claims"],
    "errortype": ["add_errortype", "change_errortype"],
    "source": ["delete_source"],
    "annotation": ["change_any_annotation"],
    "assignment": [
        "add_assignment",
        "change_assignment",
        "delete_assignment",
        "assign_reviews",
        "view_all_reviews",
    ],
    "adjudication": ["add_adjudication", "change_adjudication", "adjudicate"],
    "finalannotation": [
        "add_finalannotation",
        "change_finalannotation",
        "delete_finalannotation",
    ],
}

PERMISSIONS: dict[Role, dict[str, list[str]]] = {
    Role.REVIEWER: _REVIEWER,
    Role.EDITOR: {
        model: _REVIEWER.get(model, []) + _EDITOR_ALSO.get(model, [])
        for model in _REVIEWER | _EDITOR_ALSO
    },
}

APP = "claims"


def codenames(role: Role) -> set[str]:
    return {codename for names in PERMISSIONS[role].values() for codename in names}


def sync_groups(apps, schema_editor=None) -> None:
    """Make each role's group hold exactly its permissions, creating what is missing: a
    ``RunPython`` operation, so ``apps`` may be a migration's historical registry.

    Permissions on a model the registry does not hold yet are left for the migration
    that syncs after it is created; a codename missing on a model it holds is an error."""
    from django.contrib.auth.management import create_permissions

    # Django creates permissions after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    present = {model._meta.model_name for model in apps.get_app_config(APP).get_models()}
    for role, by_model in PERMISSIONS.items():
        wanted = {(m, c) for m, names in by_model.items() if m in present for c in names}
        found = Permission.objects.select_related("content_type").filter(
            content_type__app_label=APP,
            content_type__model__in={model for model, _ in wanted},
            codename__in={codename for _, codename in wanted},
        )
        perms = [p for p in found if (p.content_type.model, p.codename) in wanted]
        if missing := wanted - {(p.content_type.model, p.codename) for p in perms}:
            raise RuntimeError(f"Permissions missing for the {role} role: {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(perms)


def add_roles(user, *roles: Role) -> None:
    """Put ``user`` in each role's group (made by the migrations)."""
    if names := [role for role in roles if not isinstance(role, Role)]:
        raise TypeError(f"Give roles as roles.Role, not as names: {names}")
    groups = user.groups.model.objects  # the Group model, without importing models here
    user.groups.add(*(groups.get(name=role) for role in roles))
