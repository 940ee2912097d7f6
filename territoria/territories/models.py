"""The map of French territories (INSEE COG) and the tenant built on it."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from territoria.images import ImageFileField
from territoria.territories.enums import CollectiviteKind, EpciKind, Zone
from territoria.territories.normalize import fold, index_entries, query_terms


class ReferenceModel(models.Model):
    """Reference data from official sources: public, changed only by imports."""

    class Meta:
        abstract = True

    def get_abilities(self, user) -> dict[str, bool]:
        return {"view": True, "change": False, "delete": False}


class Region(ReferenceModel):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices, default=Zone.METRO)

    class Meta:
        verbose_name = _("région")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Departement(ReferenceModel):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(Region, models.PROTECT, related_name="departements")
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices, default=Zone.METRO)

    class Meta:
        verbose_name = _("département")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Epci(ReferenceModel):
    """An EPCI à fiscalité propre, keyed by its SIREN."""

    siren = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=5, choices=EpciKind.choices)
    population = models.PositiveIntegerField(_("population"), default=0)
    search_text = models.CharField(max_length=250, editable=False, default="")

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(self.name)
        super().save(*args, **kwargs)
        SearchToken.objects.refresh(epci=self)


class Commune(ReferenceModel):
    """A current commune of the COG, keyed by its INSEE code."""

    code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    population = models.PositiveIntegerField(_("population"), default=0)
    postal_codes = models.JSONField(_("codes postaux"), default=list)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, db_index=True)
    departement = models.ForeignKey(Departement, models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, models.SET_NULL, null=True, blank=True, related_name="communes")
    search_text = models.CharField(max_length=250, editable=False, default="")

    class Meta:
        verbose_name = _("commune")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_text = fold(self.name)
        super().save(*args, **kwargs)
        SearchToken.objects.refresh(commune=self)


class FormerCode(ReferenceModel):
    """A code that no longer names a current commune (commune déléguée, associée,
    merged or renumbered), resolved to the current commune."""

    code = models.CharField(_("ancien code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=200, blank=True)
    commune = models.ForeignKey(Commune, models.CASCADE, related_name="former_codes")

    class Meta:
        verbose_name = _("ancien code de commune")
        verbose_name_plural = _("anciens codes de communes")

    def __str__(self):
        return f"{self.code} → {self.commune_id}"


class SearchTokenManager(models.Manager):
    def build(self, *, commune=None, epci=None) -> list["SearchToken"]:
        """Unsaved index rows for one commune or one EPCI."""
        if commune is not None:
            territory = commune
            tokens, words = index_entries(
                commune.name, commune.postal_codes, commune.departement_id
            )
        else:
            territory = epci
            tokens, words = index_entries(epci.name)
        return [
            SearchToken(
                token=token[:60],
                commune=commune,
                epci=epci,
                population=territory.population,
                name=territory.search_text,
                words=words,
            )
            for token in tokens
        ]

    def refresh(self, *, commune=None, epci=None) -> None:
        """Rewrite the index rows of one commune or EPCI (bulk imports rebuild in bulk)."""
        self.filter(commune=commune, epci=epci).delete()
        self.bulk_create(self.build(commune=commune, epci=epci))


class SearchToken(ReferenceModel):
    """One word (or postal code) of a commune's or an EPCI's name: the prefix index
    that territories.search reads. Derived data, rebuilt by the import."""

    token = models.CharField(max_length=60)
    commune = models.ForeignKey(Commune, models.CASCADE, null=True, related_name="+")
    epci = models.ForeignKey(Epci, models.CASCADE, null=True, related_name="+")
    population = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=250)
    words = models.CharField(max_length=500)

    objects = SearchTokenManager()

    class Meta:
        # Covering: a name search reads the index alone, never the table (about -30 %
        # on short prefixes such as "sa", measured with bench/territory_search.py).
        indexes = [
            models.Index(
                fields=["token", "population", "name", "commune", "epci", "words"],
                name="searchtoken_prefix",
            )
        ]

    def __str__(self):
        return self.token


class CollectiviteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, query: str):
        """Registered collectivités matching a name (folded like the territory search:
        accents, hyphens, "St" for "Saint"), a postal code, an INSEE code or a SIREN."""
        query = query.strip()
        if not query:
            return self
        compact = query.replace(" ", "")
        if compact.isdigit():
            postal = SearchToken.objects.filter(token__startswith=compact).values("commune")
            return self.filter(
                models.Q(commune__code__startswith=compact)
                | models.Q(commune__siren=compact)
                | models.Q(epci_id=compact)
                | models.Q(commune__in=postal)
            )
        condition = models.Q()
        for alternatives in query_terms(query):
            word = models.Q()
            for prefix in alternatives:
                for field in ("commune__search_text", "epci__search_text"):
                    word |= models.Q(**{f"{field}__startswith": prefix})
                    word |= models.Q(**{f"{field}__contains": f" {prefix}"})
            condition &= word
        return self.filter(condition)

    def of_member(self, user):
        """The collectivités in which this person has a membership."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Collectivite(models.Model):
    """A commune or an EPCI registered on this instance: the tenant."""

    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=CollectiviteKind.choices)
    commune = models.OneToOneField(
        Commune, models.PROTECT, null=True, blank=True, related_name="collectivite"
    )
    epci = models.OneToOneField(
        Epci, models.PROTECT, null=True, blank=True, related_name="collectivite"
    )
    logo = ImageFileField(_("logo"), kind="logo", upload_to="logos/", blank=True)
    description = models.TextField(_("présentation"), blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    website = models.URLField(_("site internet"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CollectiviteQuerySet.as_manager()

    class Meta:
        verbose_name = _("collectivité")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="collectivite_has_one_territory",
                condition=(
                    models.Q(
                        kind=CollectiviteKind.COMMUNE, commune__isnull=False, epci__isnull=True
                    )
                    | models.Q(kind=CollectiviteKind.EPCI, epci__isnull=False, commune__isnull=True)
                ),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territories:collectivite", kwargs={"slug": self.slug})

    @property
    def code(self) -> str:
        """The INSEE code of a commune, the SIREN of an EPCI."""
        return self.commune_id if self.kind == CollectiviteKind.COMMUNE else self.epci_id

    @property
    def population(self) -> int:
        territory = self.commune if self.kind == CollectiviteKind.COMMUNE else self.epci
        return territory.population

    def member_communes(self):
        """For an EPCI: its member communes registered on this instance."""
        if self.kind != CollectiviteKind.EPCI:
            return Collectivite.objects.none()
        return Collectivite.objects.filter(commune__epci_id=self.epci_id)

    def parent_epci(self):
        """For a commune: its EPCI if the EPCI is registered on this instance."""
        if self.kind != CollectiviteKind.COMMUNE or not self.commune.epci_id:
            return None
        return Collectivite.objects.filter(epci_id=self.commune.epci_id).first()

    def get_abilities(self, user) -> dict[str, bool]:
        role = user_role(user, self)
        is_operator = bool(user.is_authenticated and user.is_operator)
        return {
            "view": True,
            "view_private": role is not None or is_operator,
            "change": role == "admin" or is_operator,
            "manage_members": role == "admin" or is_operator,
        }


def user_roles(user) -> dict[int, str]:
    """{collectivité id: role} for this person, read once per request."""
    if not user.is_authenticated:
        return {}
    roles = getattr(user, "_territoria_roles", None)
    if roles is None:
        roles = dict(user.memberships.values_list("collectivite_id", "role"))
        user._territoria_roles = roles
    return roles


def user_role(user, collectivite) -> str | None:
    """The person's role in this collectivité, or None."""
    return user_roles(user).get(collectivite.pk)
