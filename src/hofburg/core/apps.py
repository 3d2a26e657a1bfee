from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hofburg.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from hofburg.core.models import ApiToken, User
        from hofburg.core.search import install_planner_hints
        from hofburg.core.trust import forget_everything

        # A token revoked or a user changed in this process is looked up again at its next use
        # (core.trust).
        for model in (ApiToken, User):
            for signal in (post_save, post_delete):
                signal.connect(forget_everything, sender=model,
                               dispatch_uid=f"hofburg.core.trust.{model.__name__}.{id(signal)}")
        # Sharing a record with an affiliation (any many-to-many change) too.
        m2m_changed.connect(forget_everything, dispatch_uid="hofburg.core.trust.m2m")

        connection_created.connect(install_planner_hints,
                                   dispatch_uid="hofburg.core.search.planner_hints")
