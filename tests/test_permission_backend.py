"""claims.backends.ModelPermissionsBackend reads a user's permissions in one query and
answers exactly as Django's ModelBackend does."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission

from claims.backends import ModelPermissionsBackend
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
    return [
        direct,
        both,
        UserFactory(username="reviewer", groups=["reviewer"]),
        UserFactory(username="editor", groups=["editor"]),
        UserFactory(username="nobody"),
        UserFactory(username="gone", groups=["editor"], is_active=False),
        UserFactory(username="root", is_superuser=True),
    ]


def test_the_same_permissions_as_djangos_backend(cast):
    for user in cast:
        expected = ModelBackend().get_all_permissions(fresh(user))
        assert ModelPermissionsBackend().get_all_permissions(fresh(user)) == expected, user
    assert "claims.export_claims" in ModelPermissionsBackend().get_all_permissions(cast[1])
    assert "claims.view_source" in ModelPermissionsBackend().get_all_permissions(cast[1])
    assert ModelPermissionsBackend().get_all_permissions(AnonymousUser()) == set()


def test_one_query_then_none(cast, django_assert_num_queries):
    user = fresh(cast[1])
    with django_assert_num_queries(1):
        assert user.has_perm("claims.export_claims")
        assert user.has_perm("claims.view_source")
        assert not user.has_perm("claims.no_such_permission")
