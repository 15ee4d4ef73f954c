"""The roles: defined once in claims/roles.py, the groups made from it, named nowhere else."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from claims import permissions, roles, services
from claims.roles import Role
from tests.factories import UserFactory

CLAIMS = Path(__file__).resolve().parent.parent / "claims"


@pytest.mark.django_db
def test_the_migrated_groups_are_the_roles_definition_exactly():
    groups = {
        group.name: {
            (p.content_type.app_label, p.content_type.model, p.codename)
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.all()
    }
    defined = {
        role.value: {
            (roles.APP, model, codename)
            for model, names in roles.PERMISSIONS[role].items()
            for codename in names
        }
        for role in Role
    }
    assert groups == defined


@pytest.mark.django_db
def test_syncing_again_changes_nothing_and_takes_back_a_permission_added_by_hand():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    reviewer = Group.objects.get(name=Role.REVIEWER)
    reviewer.permissions.add(Permission.objects.get(codename="adjudicate"))
    roles.sync_groups(apps)
    roles.sync_groups(apps)
    assert set(reviewer.permissions.values_list("codename", flat=True)) == roles.codenames(
        Role.REVIEWER
    )


# A group named by a literal: a lookup by name, a user put in groups, or a list of names.
_NAMES = "|".join(re.escape(role.value) for role in Role)
GROUP_NAME_LITERALS = [
    re.compile(r"groups__name"),
    re.compile(r"\bGroup\.objects"),
    re.compile(r"\.groups\.(add|set|remove|filter|get)\("),
    re.compile(rf"""\bname(__in)?\s*=\s*[\[(]?\s*["']({_NAMES})["']"""),
    # A list of nothing but role names (not a subscript such as ``entry["editor"]``).
    re.compile(rf"""(?<![\w\])\]])\[\s*["']({_NAMES})["']\s*(,\s*["']({_NAMES})["']\s*)*,?\s*\]"""),
]


def test_no_group_is_named_by_a_literal_outside_roles_py():
    found = [
        f"{path.relative_to(CLAIMS.parent)}:{number}: {line.strip()}"
        for path in sorted(CLAIMS.rglob("*.py"))
        if path != CLAIMS / "roles.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if any(pattern.search(line) for pattern in GROUP_NAME_LITERALS)
    ]
    assert not found, (
        "Groups are named and looked up only in claims/roles.py: use roles.Role and "
        "roles.add_roles, and ask claims.permissions who may do what:\n" + "\n".join(found)
    )


def test_a_role_is_given_by_its_name_in_roles_py_only(db):
    user = UserFactory(username="rita")
    with pytest.raises(TypeError, match="roles.Role"):
        roles.add_roles(user, "reviewer")


@pytest.mark.django_db
def test_whoever_may_label_without_seeing_all_work_is_a_reviewer_whatever_their_groups(
    reviewer_ann, editor_eve, outsider
):
    from django.contrib.auth.models import Permission

    direct = UserFactory(username="dora")  # the reviewer's rights, given without the group
    direct.user_permissions.add(*Permission.objects.filter(codename__in=["add_annotation"]))
    pool = set(services.eligible_reviewers())
    assert pool == {reviewer_ann, direct}  # an editor's review would not be blind
    assert permissions.may_label(direct) and permissions.may_label(editor_eve)
    assert not permissions.may_label(outsider)
