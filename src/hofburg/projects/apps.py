from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "hofburg.projects"
    label = "projects"
    verbose_name = _("Projects and contributions")

    def ready(self) -> None:
        from hofburg.projects import demo, finder, panels

        finder.register()

        panels.register()
        demo.register()
