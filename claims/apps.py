from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Fact-checking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from claims import checks  # noqa: F401  registers the start-up checks
        from claims.search import forget_trigram_index

        # Whether SQLite's trigram index is there is asked again of each new connection,
        # and after a migration (which may make or drop it).
        connection_created.connect(forget_trigram_index, dispatch_uid="claims-trigrams")
        post_migrate.connect(forget_trigram_index, dispatch_uid="claims-trigrams-migrated")
