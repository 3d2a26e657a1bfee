from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CsbmConfig(AppConfig):
    name = "hofburg.csbm"
    label = "csbm"
    verbose_name = _("Vienna Document")

    def ready(self) -> None:
        from hofburg.csbm import demo, finder, ledger, panels

        finder.register()
        demo.register()
        ledger.register()
        panels.register()
