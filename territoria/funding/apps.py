from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "territoria.funding"
    verbose_name = _("Financements")

    def ready(self):
        from territoria.accounts import shortcuts
        from territoria.funding.links import space_shortcuts

        shortcuts.register(space_shortcuts)
