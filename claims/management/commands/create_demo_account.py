import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create (or reset) the local demo account “demo”, an editor, with a fresh random "
        "password, and print where to log in. For a laptop demo only: `make run` calls it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, url, **options):
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username="demo")
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="editor"), Group.objects.get(name="reviewer"))
        self.stdout.write(f"\n  Log in at {url}\n  username: demo\n  password: {password}\n")
