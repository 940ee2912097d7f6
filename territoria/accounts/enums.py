from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ELU = "elu", _("Élu·e")
    AGENT = "agent", _("Agent")
    ADMIN = "admin", _("Administrateur·rice")
