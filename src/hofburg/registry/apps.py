from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "hofburg.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from hofburg.core import panels
        from hofburg.registry import finder, my_state, views

        finder.register()
        my_state.register()

        panels.register("home", "registry", "registry/panels/home.html", views.home_panel,
                        order=10)
