from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "hofburg.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from hofburg.decisions import alerts, demo, finder

        alerts.register()
        finder.register()
        demo.register()
