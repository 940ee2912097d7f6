from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemarchesConfig(AppConfig):
    name = "territoria.demarches"
    verbose_name = _("Démarches")

    def ready(self):
        from territoria.accounts import shortcuts
        from territoria.demarches.links import space_shortcuts

        shortcuts.register(space_shortcuts)
