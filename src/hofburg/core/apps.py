from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hofburg.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from hofburg.core.search import install_planner_hints

        connection_created.connect(install_planner_hints,
                                   dispatch_uid="hofburg.core.search.planner_hints")
