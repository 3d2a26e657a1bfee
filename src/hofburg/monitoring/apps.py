from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "hofburg.monitoring"
    label = "monitoring"
    verbose_name = _("Field monitoring")

    def ready(self) -> None:
        from hofburg.monitoring import demo, finder, metrics, panels

        finder.register()
        demo.register()
        panels.register()
        metrics.register()
