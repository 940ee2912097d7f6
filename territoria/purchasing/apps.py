from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "territoria.purchasing"
    verbose_name = _("Achats groupés")
