import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from claims import services
from claims.models import Article
from claims.roles import Role, add_roles

# Who a newcomer logs in as, and what each shows them.
DEMO_ACCOUNTS = [
    ("demo", [Role.EDITOR, Role.REVIEWER], "editor: sees every review, adjudicates"),
    (
        "demo-reviewer",
        [Role.REVIEWER],
        "reviewer: blind review, sees only their own work until they submit",
    ),
]


class Command(BaseCommand):
    help = (
        "Create (or reset) the two local demo accounts with fresh random passwords: the editor "
        "“demo” (also a reviewer) and the reviewer “demo-reviewer”. Both are assigned every "
        "article, so the reviewer has an unsubmitted review of the seed article. Prints where "
        "to log in. For a laptop demo only: `make run` calls it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, url, **options):
        lines = [f"\n  Log in at {url}"]
        editor = None
        for username, account_roles, shows in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.is_staff = True
            user.set_password(password)
            user.save()
            add_roles(user, *account_roles)
            editor = editor or user  # the first account assigns, as an editor must
            # Labels are written inside an assigned review, so both may tag errors at once.
            for article in Article.objects.exclude(assignments__reviewer=user):
                services.assignments_create(article=article, reviewers=[user], by=editor)
            lines.append(f"  {username:<14} password: {password}   ({shows})")
        self.stdout.write("\n".join(lines) + "\n")
