from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "hofburg.elections"
    label = "elections"
    verbose_name = _("Election observation")

    def ready(self) -> None:
        from hofburg.elections import demo, finder

        finder.register()

        demo.register()
