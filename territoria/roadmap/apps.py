from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "territoria.roadmap"
    verbose_name = _("Feuille de route")

    def ready(self):
        from territoria.accounts import shortcuts
        from territoria.roadmap.links import space_shortcuts

        shortcuts.register(space_shortcuts)
