from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "hofburg.elections"
    label = "elections"
    verbose_name = _("Election observation")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from hofburg.core.trust import forget_everything
        from hofburg.elections import demo, finder
        from hofburg.elections.models import Form, Member, Mission

        # A sender's place on a mission, kept a few seconds by a server process (core.trust),
        # is decided again once a mission, form or membership changes in this process.
        for model in (Mission, Form, Member):
            for signal in (post_save, post_delete):
                signal.connect(forget_everything, sender=model,
                               dispatch_uid=f"hofburg.core.trust.{model.__name__}.{id(signal)}")

        finder.register()

        demo.register()
