"""People, their memberships in collectivités, invitations and the audit log."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria.accounts.enums import Role
from territoria.territories.models import user_role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, identified by email. Operators of the instance are staff."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(
        _("opérateur de l'instance"),
        default=False,
        help_text=_("Les opérateurs administrent l'instance et accèdent à l'administration."),
    )
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("personne")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    @property
    def is_operator(self) -> bool:
        return self.is_active and self.is_staff

    def has_perm(self, perm, obj=None):
        """Operators run the instance: every permission of the administration."""
        return self.is_operator or super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        return self.is_operator or super().has_module_perms(app_label)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_abilities(self, user) -> dict[str, bool]:
        is_self = user.is_authenticated and user.pk == self.pk
        return {"view": is_self or user.is_operator, "change": is_self or user.is_operator}


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Memberships of the collectivités this person belongs to."""
        if not user.is_authenticated:
            return self.none()
        if user.is_operator:
            return self
        return self.filter(collectivite__memberships__user=user).distinct()


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("personne"),
    )
    collectivite = models.ForeignKey(
        "territories.Collectivite",
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("collectivité"),
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("membre depuis le"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("appartenance")
        ordering = ["collectivite__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "collectivite"], name="one_role_per_collectivite"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.collectivite} ({self.get_role_display()})"

    def get_abilities(self, user) -> dict[str, bool]:
        role = user_role(user, self.collectivite)
        manager = role == Role.ADMIN or user.is_operator
        return {"view": role is not None or user.is_operator, "change": manager, "delete": manager}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AdminScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Objects of the collectivités this person administers; operators see all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_operator:
            return self
        return self.filter(
            collectivite__memberships__user=user, collectivite__memberships__role=Role.ADMIN
        )


class InvitationQuerySet(AdminScopedQuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use link inviting an email address to join a collectivité."""

    collectivite = models.ForeignKey(
        "territories.Collectivite",
        models.CASCADE,
        related_name="invitations",
        verbose_name=_("collectivité"),
    )
    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invitée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acceptée par"),
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    # Set by the task that mails the link: the token exists only in that email, so
    # sending at most once is what makes the task idempotent.
    email_sent_at = models.DateTimeField(_("courriel envoyé le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.collectivite}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def get_abilities(self, user) -> dict[str, bool]:
        manager = user_role(user, self.collectivite) == Role.ADMIN or user.is_operator
        return {"view": manager, "change": manager, "delete": manager}


class AuditEvent(models.Model):
    """Who did what, when: one row per write by an agent, élu, admin or operator."""

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    collectivite = models.ForeignKey(
        "territories.Collectivite",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collectivité"),
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("type d'objet"), max_length=60, blank=True)
    object_id = models.CharField(_("identifiant"), max_length=60, blank=True)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    changes = models.JSONField(_("détails"), default=dict, blank=True)

    objects = AdminScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def get_abilities(self, user) -> dict[str, bool]:
        admin = self.collectivite is not None and user_role(user, self.collectivite) == Role.ADMIN
        return {"view": admin or user.is_operator, "change": False, "delete": False}


class LoginFailure(models.Model):
    """A failed login, kept to lock out brute-force attempts (in the database so
    every web worker sees the same count)."""

    email = models.CharField(_("adresse saisie"), max_length=254, db_index=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True)
    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("échec de connexion")
        verbose_name_plural = _("échecs de connexion")

    def __str__(self):
        return f"{self.email} {self.at:%Y-%m-%d %H:%M}"

    def get_abilities(self, user) -> dict[str, bool]:
        return {"view": user.is_operator, "change": False, "delete": user.is_operator}
