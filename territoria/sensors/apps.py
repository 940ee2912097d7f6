from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensorsConfig(AppConfig):
    name = "territoria.sensors"
    verbose_name = _("Capteurs et pilotage")

    def ready(self):
        from territoria.accounts import shortcuts
        from territoria.sensors.links import space_shortcuts

        shortcuts.register(space_shortcuts)
