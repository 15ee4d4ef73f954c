import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from claims import services
from claims.models import Article


class Command(BaseCommand):
    help = (
        "Create (or reset) the local demo account “demo”, an editor and reviewer, with a "
        "fresh random password, assign it every article, and print where to log in. "
        "For a laptop demo only: `make run` calls it."
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
        # So that the demo can tag errors too: labels are written inside an assigned review.
        for article in Article.objects.exclude(assignments__reviewer=user):
            services.assignments_create(article=article, reviewers=[user], by=user)
        self.stdout.write(f"\n  Log in at {url}\n  username: demo\n  password: {password}\n")
