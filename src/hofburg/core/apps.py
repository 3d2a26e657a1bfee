from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hofburg.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save

        from hofburg.core.api import forget_verified_tokens
        from hofburg.core.models import ApiToken, User
        from hofburg.core.search import install_planner_hints

        # A token revoked or a user changed in this process is looked up again at its next use.
        for model in (ApiToken, User):
            for signal in (post_save, post_delete):
                signal.connect(forget_verified_tokens, sender=model,
                               dispatch_uid=f"hofburg.core.api.forget.{signal}.{model.__name__}")

        connection_created.connect(install_planner_hints,
                                   dispatch_uid="hofburg.core.search.planner_hints")
