from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "territoria.reports"
    verbose_name = _("Signalements")

    def ready(self):
        from territoria.accounts import shortcuts
        from territoria.reports.links import space_shortcuts

        shortcuts.register(space_shortcuts)
