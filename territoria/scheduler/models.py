from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """When a recurring job was last put in the task queue."""

    name = models.CharField(_("tâche"), max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(_("dernière mise en file"))

    class Meta:
        verbose_name = _("exécution planifiée")
        verbose_name_plural = _("exécutions planifiées")

    def __str__(self) -> str:
        return self.name

    def get_abilities(self, user) -> dict[str, bool]:
        operator = bool(getattr(user, "is_operator", False))
        return {"view": operator, "change": False, "delete": False}
