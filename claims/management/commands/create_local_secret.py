import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def owner_only(path, flags):
    """Open with mode 0600 from the start: the key is never readable by others, not even
    between creating the file and a later chmod."""
    return os.open(path, flags, 0o600)


class Command(BaseCommand):
    help = (
        "Create this installation's secret key in var/secret_key (FACTCHECK_VAR_DIR), if it "
        "is not there yet. The settings only read it; `make run` and `make serve` call this "
        "first. A deployment that sets SECRET_KEY in the environment needs no file."
    )
    # The checks would refuse to start without a key (claims.E002): this makes it.
    requires_system_checks = []

    def handle(self, *args, **options):
        if os.environ.get("SECRET_KEY"):
            self.stdout.write("SECRET_KEY is set in the environment: no local key needed.")
            return
        key_file = settings.VAR_DIR / "secret_key"
        try:
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            with open(key_file, "x", opener=owner_only) as out:
                out.write(secrets.token_urlsafe(50))
        except FileExistsError:
            self.stdout.write(f"{key_file} exists; kept as it is.")
            return
        except OSError as error:
            raise CommandError(
                f"Cannot write {key_file} ({error.strerror}). Set FACTCHECK_VAR_DIR to a "
                "writable folder, or set SECRET_KEY in the environment instead."
            ) from error
        self.stdout.write(f"Created {key_file}, readable by its owner only.")
