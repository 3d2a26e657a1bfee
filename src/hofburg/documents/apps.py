from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "hofburg.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from hofburg.documents import catalogue, demo, finder, ledger, panels, publishing

        catalogue.register()
        finder.register()
        demo.register()
        ledger.register()
        panels.register()
        publishing.register()
