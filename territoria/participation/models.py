"""Participation: the idea box, participatory budgets with their voter register and
ballots, and consultations.

The voter register (`Voter`) and the ballot box (`Ballot`) are two tables with no link
between them: a ballot carries neither a voter, nor a timestamp, nor a sequential id,
so who voted for what is never recorded (docs/participation.md).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria.images import ImageFileField, private_storage
from territoria.participation.enums import (
    Channel,
    IdeaCategory,
    IdeaStatus,
    Participation,
    Phase,
    ProjectStatus,
    QuestionKind,
    TextReview,
    TieBreak,
    Visibility,
    VoteRule,
)
from territoria.territories.models import user_role
from territoria.territories.tenancy import TenantModel, TenantQuerySet


def new_salt() -> str:
    return secrets.token_hex(32)


def staff_of(user, collectivite) -> bool:
    """An agent or admin of the collectivité, or an operator: may run participation."""
    if not user.is_authenticated:
        return False
    return user.is_operator or user_role(user, collectivite) in {"agent", "admin"}


def _public_abilities(user, collectivite, public: bool) -> dict[str, bool]:
    staff = staff_of(user, collectivite)
    return {"view": public or staff, "change": staff, "delete": staff}


# Participatory budgets ------------------------------------------------------------


class Campaign(TenantModel):
    """One participatory budget of a collectivité, with its phases and vote rule."""

    slug = models.SlugField(_("identifiant"), max_length=80)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    envelope = models.PositiveIntegerField(_("enveloppe (€)"))
    rule = models.CharField(_("règle de vote"), max_length=20, choices=VoteRule.choices)
    max_projects = models.PositiveSmallIntegerField(
        _("nombre maximal de projets par bulletin"), null=True, blank=True
    )
    tie_break = models.CharField(
        _("départage des égalités"),
        max_length=20,
        choices=TieBreak.choices,
        default=TieBreak.LOWER_COST,
    )
    district = models.CharField(
        _("quartier réservé"),
        max_length=100,
        blank=True,
        help_text=_("Laisser vide pour un vote ouvert à toute la collectivité."),
    )
    allow_oidc = models.BooleanField(_("vérification par identité numérique"), default=False)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.SUBMISSION
    )
    submission_start = models.DateField(_("début du dépôt"), null=True, blank=True)
    review_start = models.DateField(_("début de l'analyse technique"), null=True, blank=True)
    voting_start = models.DateTimeField(_("ouverture du vote"), null=True, blank=True)
    voting_end = models.DateTimeField(_("clôture du vote"), null=True, blank=True)
    results_date = models.DateField(_("publication des résultats"), null=True, blank=True)
    salt = models.CharField(max_length=64, default=new_salt, editable=False)
    rules_frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budget participatif")
        verbose_name_plural = _("budgets participatifs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "slug"], name="campaign_slug_unique")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "participation:campaign", kwargs={"slug": self.collectivite.slug, "campaign": self.slug}
        )

    def get_abilities(self, user) -> dict[str, bool]:
        return _public_abilities(user, self.collectivite, public=True)

    @property
    def is_voting_open(self) -> bool:
        now = timezone.now()
        return (
            self.phase == Phase.VOTING
            and (self.voting_start is None or self.voting_start <= now)
            and (self.voting_end is None or now < self.voting_end)
        )

    @property
    def rules_frozen(self) -> bool:
        return self.rules_frozen_at is not None

    def phases(self):
        """The phases in order, with their dates and whether each is past or current."""
        order = list(Phase)
        current = order.index(Phase(self.phase))
        dates = {
            Phase.SUBMISSION: self.submission_start,
            Phase.REVIEW: self.review_start,
            Phase.VOTING: self.voting_start,
            Phase.RESULTS: self.results_date,
            Phase.IMPLEMENTATION: None,
        }
        return [
            {
                "phase": p,
                "label": p.label,
                "date": dates[p],
                "state": "done" if i < current else "current" if i == current else "next",
            }
            for i, p in enumerate(order)
        ]


class ProjectQuerySet(TenantQuerySet):
    def on_ballot(self):
        return self.filter(
            status__in=[ProjectStatus.FEASIBLE, ProjectStatus.SELECTED, ProjectStatus.NOT_SELECTED]
        )


class Project(TenantModel):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="projects")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"))
    district = models.CharField(_("quartier"), max_length=100, blank=True)
    idea = models.ForeignKey(
        "Idea",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("idée d'origine"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(_("nom affiché"), max_length=80, blank=True)
    status = models.CharField(
        max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.SUBMITTED
    )
    cost = models.PositiveIntegerField(_("coût estimé (€)"), null=True, blank=True)
    review_reason = models.TextField(_("motif de l'analyse"), blank=True)
    votes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    rank = models.PositiveIntegerField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet")
        ordering = ["rank", "submitted_at", "pk"]

    def __str__(self):
        return self.title

    def get_abilities(self, user) -> dict[str, bool]:
        return _public_abilities(user, self.collectivite, public=True)

    @property
    def public_author(self) -> str:
        return self.author_name or str(_("Un habitant"))


class Milestone(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="milestones")
    title = models.CharField(_("étape"), max_length=200)
    due = models.DateField(_("échéance"), null=True, blank=True)
    done_on = models.DateField(_("réalisée le"), null=True, blank=True)
    note = models.TextField(_("note publique"), blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return self.title

    def get_abilities(self, user) -> dict[str, bool]:
        return self.project.get_abilities(user)


class CensusEntry(models.Model):
    """One person of the imported census file, as a salted hash only."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="census")
    identity_hash = models.CharField(max_length=64)
    district = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "identity_hash"], name="participation_census_unique"
            )
        ]

    def __str__(self):
        return f"CensusEntry {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        staff = staff_of(user, self.campaign.collectivite)
        return {"view": staff, "change": staff, "delete": staff}


class VoteCode(models.Model):
    """A single-use code printed in a letter to one person of the census."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    identity_hash = models.CharField(max_length=64)
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "code_hash"], name="participation_code_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign", "identity_hash"], name="code_identity_unique"
            ),
        ]

    def __str__(self):
        return f"VoteCode {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        staff = staff_of(user, self.campaign.collectivite)
        return {"view": staff, "change": staff, "delete": staff}


class Voter(models.Model):
    """The register: this hashed identity has voted in this campaign (never for what)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="voters")
    identity_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    voted_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "identity_hash"], name="one_voter_once")
        ]

    def __str__(self):
        return f"Voter {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        staff = staff_of(user, self.campaign.collectivite)
        return {"view": staff, "change": False, "delete": False}


class FailedCheck(models.Model):
    """A failed voter verification from one network, to slow down guessing of identities
    and codes (a salted hash of the IP address, kept one hour)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="+")
    network_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"FailedCheck {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        return {"view": False, "change": False, "delete": False}


class Ballot(models.Model):
    """The contents of one ballot: a random id, no voter, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="ballots")
    choices = models.JSONField()
    paper = models.BooleanField(default=False)

    def __str__(self):
        return f"Ballot {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        staff = staff_of(user, self.campaign.collectivite)
        return {"view": staff, "change": False, "delete": False}


# Idea box ------------------------------------------------------------------------


class IdeaQuerySet(TenantQuerySet):
    def published(self):
        return self.filter(visibility=Visibility.VISIBLE)

    def with_supports(self):
        return self.annotate(support_count=Count("supports", distinct=True))


class Idea(TenantModel):
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("votre idée"))
    category = models.CharField(_("thème"), max_length=20, choices=IdeaCategory.choices)
    place = models.CharField(_("lieu (facultatif)"), max_length=200, blank=True)
    # Private: a hidden idea's image must not stay reachable under a public address.
    image = ImageFileField(
        _("image (facultative)"),
        storage=private_storage,
        upload_to="participation/ideas/",
        blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("nom affiché"), max_length=80, blank=True)
    status = models.CharField(max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    answer = models.TextField(_("réponse de la collectivité"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    moderation_note = models.TextField(_("note de modération (interne)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idée")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:idea", kwargs={"slug": self.collectivite.slug, "pk": self.pk})

    def get_abilities(self, user) -> dict[str, bool]:
        staff = staff_of(user, self.collectivite)
        visible = self.visibility == Visibility.VISIBLE
        signed_in = user.is_authenticated
        return {
            "view": visible or staff,
            "change": staff,
            "delete": staff,
            "support": visible and signed_in,
            "comment": visible and signed_in,
            "flag": visible and signed_in,
        }

    @property
    def public_author(self) -> str:
        return self.author_name or str(_("Un habitant"))


class Support(models.Model):
    idea = models.ForeignKey(Idea, models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="participation_support_once")
        ]

    def __str__(self):
        return f"Support {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        mine = user.is_authenticated and user.pk == self.user_id
        return {"view": mine, "change": False, "delete": mine}


class Comment(models.Model):
    idea = models.ForeignKey(Idea, models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("nom affiché"), max_length=80, blank=True)
    body = models.TextField(_("commentaire"), max_length=2000)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        staff = staff_of(user, self.idea.collectivite)
        visible = self.visibility == Visibility.VISIBLE and self.idea.visibility == "visible"
        return {"view": visible or staff, "change": staff, "delete": staff}

    @property
    def public_author(self) -> str:
        return self.author_name or str(_("Un habitant"))


class Flag(models.Model):
    """A signed-in person reports an idea or a comment as abusive."""

    idea = models.ForeignKey(Idea, models.CASCADE, null=True, blank=True, related_name="flags")
    comment = models.ForeignKey(
        Comment, models.CASCADE, null=True, blank=True, related_name="flags"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "user"],
                condition=Q(comment=None),
                name="participation_flag_idea_once",
            ),
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(idea=None),
                name="participation_flag_comment_once",
            ),
            models.CheckConstraint(
                condition=Q(idea=None) ^ Q(comment=None), name="participation_flag_one_target"
            ),
        ]

    def __str__(self):
        return f"Flag {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        target = self.idea or self.comment.idea
        staff = staff_of(user, target.collectivite)
        return {"view": staff, "change": staff, "delete": staff}


# Consultations -------------------------------------------------------------------


class Consultation(TenantModel):
    slug = models.SlugField(_("identifiant"), max_length=80)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))
    participation = models.CharField(
        _("participation"),
        max_length=10,
        choices=Participation.choices,
        default=Participation.VERIFIED,
    )
    results_public = models.BooleanField(_("résultats publics"), default=False)
    published = models.BooleanField(_("publiée"), default=False)
    salt = models.CharField(max_length=64, default=new_salt, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultation")
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectivite", "slug"], name="consultation_slug_unique"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "participation:consultation",
            kwargs={"slug": self.collectivite.slug, "consultation": self.slug},
        )

    def get_abilities(self, user) -> dict[str, bool]:
        return _public_abilities(user, self.collectivite, public=self.published)

    @property
    def is_open(self) -> bool:
        return self.published and self.opens_at <= timezone.now() < self.closes_at


class Question(models.Model):
    consultation = models.ForeignKey(Consultation, models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    choices = models.JSONField(_("choix"), default=list, blank=True)
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    condition_question = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seulement si la question"),
    )
    condition_choice = models.CharField(_("a pour réponse"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    def get_abilities(self, user) -> dict[str, bool]:
        return self.consultation.get_abilities(user)


class Response(models.Model):
    consultation = models.ForeignKey(Consultation, models.CASCADE, related_name="responses")
    respondent_key = models.CharField(max_length=64)
    network_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "respondent_key"], name="one_response_per_respondent"
            )
        ]

    def __str__(self):
        return f"Response {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        staff = staff_of(user, self.consultation.collectivite)
        return {"view": staff, "change": False, "delete": staff}


class Answer(models.Model):
    response = models.ForeignKey(Response, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.CASCADE, related_name="answers")
    value = models.JSONField()
    review = models.CharField(max_length=10, choices=TextReview.choices, blank=True)

    def __str__(self):
        return f"Answer {self.pk}"

    def get_abilities(self, user) -> dict[str, bool]:
        staff = staff_of(user, self.question.consultation.collectivite)
        public = self.review == TextReview.PUBLISHED
        return {"view": public or staff, "change": staff, "delete": staff}
