from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "hofburg.cases"
    label = "cases"
    verbose_name = _("Human dimension")

    def ready(self) -> None:
        from hofburg.cases import alerts, demo, finder, ledger, sealed
        from hofburg.cases.services.evidence import evidence_key_ids
        from hofburg.cases.services.persons import vault_key_ids
        from hofburg.core.access import keep_audit_on_desk
        from hofburg.core.backup import register_key_source

        # Need-to-know and field levels decide who learns of a record here: its audit entries
        # stay off the general audit page and the admin (decision 0075).
        keep_audit_on_desk(self.label)
        alerts.register()
        demo.register()
        finder.register()
        ledger.register()
        register_key_source("cases", lambda: sorted(set(vault_key_ids()) |
                                                    set(evidence_key_ids()) |
                                                    set(sealed.key_ids())))
