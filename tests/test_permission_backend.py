"""A user's permissions, as the configured authentication backends give them: their own
and their groups', all of them for a superuser, none for an inactive or anonymous user,
read once per request and then kept: Django's own ModelBackend (issue 19: no
hand-written copy to keep in step with Django). Asked through ``user.has_perm`` and
``user.get_all_permissions``, as the app asks."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission

from tests.factories import UserFactory


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache


@pytest.fixture
def cast(db):
    own = Permission.objects.get(codename="export_claims")
    shared = Group.objects.create(name="desk")
    shared.permissions.add(Permission.objects.get(codename="view_source"))
    direct = UserFactory(username="direct")
    direct.user_permissions.add(own)
    both = UserFactory(username="both", groups=["reviewer"])
    both.user_permissions.add(own)
    both.groups.add(shared)
    return {
        "direct": direct,
        "both": both,
        "reviewer": UserFactory(username="reviewer", groups=["reviewer"]),
        "editor": UserFactory(username="editor", groups=["editor"]),
        "nobody": UserFactory(username="nobody"),
        "gone": UserFactory(username="gone", groups=["editor"], is_active=False),
        "root": UserFactory(username="root", is_superuser=True),
    }


def test_own_and_group_permissions(cast):
    direct, both = fresh(cast["direct"]), fresh(cast["both"])
    assert direct.has_perm("claims.export_claims")
    assert not direct.has_perm("claims.view_source")
    assert both.has_perm("claims.export_claims")  # their own
    assert both.has_perm("claims.view_source")  # a group's
    assert both.has_perm("claims.add_annotation")  # the reviewer group's
    assert not fresh(cast["nobody"]).get_all_permissions()
    assert fresh(cast["editor"]).has_perm("claims.view_all_reviews")


def test_inactive_and_anonymous_users_have_none_superusers_all(cast):
    assert fresh(cast["gone"]).get_all_permissions() == set()
    assert not fresh(cast["gone"]).has_perm("claims.view_claim")
    assert AnonymousUser().get_all_permissions() == set()
    assert not AnonymousUser().has_perm("claims.view_claim")
    root = fresh(cast["root"])
    assert root.has_perm("claims.export_claims") and root.has_perm("claims.no_such_permission")
    every = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.all()}
    assert root.get_all_permissions() == every


def test_the_backend_is_djangos_own_after_axes():
    from django.contrib.auth import get_backends

    kinds = [type(backend) for backend in get_backends()]
    assert kinds[0].__name__ == "AxesStandaloneBackend"  # lockouts are checked first
    assert kinds[1:] == [ModelBackend]


def test_read_once_then_kept(cast, django_assert_num_queries):
    # ModelBackend: the user's own permissions, then their groups', one query each.
    user = fresh(cast["both"])
    with django_assert_num_queries(2):
        assert user.has_perm("claims.export_claims")
        assert user.has_perm("claims.view_source")
        assert not user.has_perm("claims.no_such_permission")
