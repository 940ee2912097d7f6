"""Writes of participatory budgets: rules, projects, census, codes, ballots, results.

Each verb validates everything first, then writes in one transaction. A ballot is cast
under a lock of its campaign's row, so two submissions of one voter are serialised and
the second finds the first in the register (the unique constraint backs it anyway).
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.participation import identity, tally
from territoria.participation.enums import Channel, Phase, ProjectStatus, VoteRule
from territoria.participation.models import (
    Ballot,
    Campaign,
    CensusEntry,
    FailedCheck,
    Milestone,
    Project,
    VoteCode,
    Voter,
)

ALREADY_VOTED = (
    "Un bulletin a déjà été enregistré pour cette personne dans ce budget participatif : "
    "on ne vote qu'une fois, en ligne ou sur papier."
)


class LineErrors(ActionError):
    """A refused file: every faulty line is listed, nothing is imported."""

    def __init__(self, lines: list[str]):
        super().__init__(
            "invalid_file",
            ngettext(
                "Le fichier contient %(n)s erreur ; rien n'a été importé.",
                "Le fichier contient %(n)s erreurs ; rien n'a été importé.",
                len(lines),
            )
            % {"n": len(lines)},
            field="file",
        )
        self.lines = lines

    def as_dict(self) -> dict:
        return super().as_dict() | {"lines": self.lines}


def _require_staff(campaign, actor) -> None:
    if not campaign.get_abilities(actor)["change"]:
        raise PermissionDenied


# Rules and phases ------------------------------------------------------------------


def check_rule(rule, max_projects, envelope) -> None:
    if rule not in VoteRule.values:
        raise ActionError("invalid_rule", _("Choisissez une règle de vote."), field="rule")
    if rule == VoteRule.APPROVAL and not max_projects:
        raise ActionError(
            "max_projects_required",
            _("Le vote par approbation demande un nombre maximal de projets par bulletin."),
            field="max_projects",
        )
    if not envelope or envelope <= 0:
        raise ActionError(
            "envelope_required", _("Indiquez l'enveloppe en euros."), field="envelope"
        )


def set_rules(campaign, actor, **rules) -> Campaign:
    """Change the vote rule, envelope, limit, tie-break or district: only before voting."""
    _require_staff(campaign, actor)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.rules_frozen or Ballot.objects.filter(campaign=locked).exists():
            raise ActionError(
                "rules_frozen",
                _(
                    "Les règles du vote sont figées depuis l'ouverture du vote : elles ne "
                    "peuvent plus être modifiées."
                ),
                status=409,
            )
        merged = {
            "rule": locked.rule,
            "max_projects": locked.max_projects,
            "envelope": locked.envelope,
            **rules,
        }
        check_rule(merged["rule"], merged["max_projects"], merged["envelope"])
        changes = {}
        for name, value in rules.items():
            if getattr(locked, name) != value:
                changes[name] = [getattr(locked, name), value]
                setattr(locked, name, value)
        locked.save()
        audit.record(
            actor,
            "participation.rules",
            obj=locked,
            changes=changes,
            summary=_("Règles du vote modifiées"),
        )
    return locked


def open_vote(campaign, actor) -> Campaign:
    """Open the vote: the rules freeze for good."""
    _require_staff(campaign, actor)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.phase not in {Phase.SUBMISSION, Phase.REVIEW}:
            raise ActionError("wrong_phase", _("Le vote a déjà été ouvert."), status=409)
        check_rule(locked.rule, locked.max_projects, locked.envelope)
        if not Project.objects.filter(campaign=locked, status=ProjectStatus.FEASIBLE).exists():
            raise ActionError(
                "no_feasible_project",
                _(
                    "Aucun projet n'a été déclaré réalisable : analysez les projets avant "
                    "d'ouvrir le vote."
                ),
            )
        now = timezone.now()
        locked.phase = Phase.VOTING
        locked.rules_frozen_at = now
        if locked.voting_start is None or locked.voting_start > now:
            locked.voting_start = now
        if locked.voting_end is not None and locked.voting_end <= now:
            locked.voting_end = None
        locked.save()
        audit.record(
            actor, "participation.open_vote", obj=locked, summary=_("Vote ouvert ; règles figées")
        )
    return locked


def candidates(campaign) -> dict[int, tally.Candidate]:
    rows = (
        Project.objects.filter(campaign=campaign)
        .on_ballot()
        .order_by("submitted_at", "pk")
        .values_list("pk", "cost")
    )
    return {pk: tally.Candidate(pk, cost or 0, order) for order, (pk, cost) in enumerate(rows)}


def compute_results(campaign) -> tally.Outcome:
    ballots = Ballot.objects.filter(campaign=campaign).values_list("choices", flat=True)
    return tally.tally(
        ballots.iterator(chunk_size=5000),
        list(candidates(campaign).values()),
        envelope=campaign.envelope,
        tie_break=campaign.tie_break,
    )


def publish_results(campaign, actor) -> tally.Outcome:
    """Close the vote, count the ballots by the frozen rule and publish the winners."""
    _require_staff(campaign, actor)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.phase != Phase.VOTING:
            raise ActionError(
                "wrong_phase",
                _("Les résultats se publient à la fin de la phase de vote."),
                status=409,
            )
        outcome = compute_results(locked)
        winners = set(outcome.winners)
        projects = {p.pk: p for p in Project.objects.filter(pk__in=outcome.ranking)}
        for rank, pk in enumerate(outcome.ranking, start=1):
            project = projects[pk]
            project.votes = outcome.counts[pk]
            project.rank = rank
            project.status = ProjectStatus.SELECTED if pk in winners else ProjectStatus.NOT_SELECTED
        Project.objects.bulk_update(projects.values(), ["votes", "rank", "status"])
        now = timezone.now()
        locked.phase = Phase.RESULTS
        locked.results_published_at = now
        if locked.voting_end is None or locked.voting_end > now:
            locked.voting_end = now
        locked.results_date = timezone.localdate()
        locked.save()
        audit.record(
            actor,
            "participation.results",
            obj=locked,
            summary=_("%(n)s bulletins dépouillés") % {"n": outcome.ballots},
        )
    return outcome


def start_implementation(campaign, actor) -> Campaign:
    _require_staff(campaign, actor)
    if campaign.phase != Phase.RESULTS:
        raise ActionError(
            "wrong_phase", _("Le suivi commence une fois les résultats publiés."), status=409
        )
    campaign.phase = Phase.IMPLEMENTATION
    campaign.save(update_fields=["phase"])
    audit.record(
        actor,
        "participation.implementation",
        obj=campaign,
        summary=_("Suivi de réalisation ouvert"),
    )
    return campaign


def add_milestone(project, actor, *, title, due=None, done_on=None, note="") -> Milestone:
    _require_staff(project.campaign, actor)
    if project.status != ProjectStatus.SELECTED:
        raise ActionError(
            "not_selected", _("Seuls les projets lauréats ont un suivi de réalisation.")
        )
    milestone = Milestone.objects.create(
        project=project, title=title, due=due, done_on=done_on, note=note
    )
    audit.record(actor, "participation.milestone", obj=project, summary=title)
    return milestone


# Projects --------------------------------------------------------------------------


def submit_project(
    campaign, author, *, title, description, district="", author_name="", idea=None
) -> Project:
    if campaign.phase != Phase.SUBMISSION:
        raise ActionError("wrong_phase", _("Le dépôt des projets est clos."), status=409)
    if idea is not None and idea.collectivite_id != campaign.collectivite_id:
        raise ActionError("foreign_idea", _("Cette idée appartient à une autre collectivité."))
    return Project.objects.create(
        collectivite=campaign.collectivite,
        campaign=campaign,
        title=title,
        description=description,
        district=district,
        idea=idea,
        author=author if author.is_authenticated else None,
        author_name=author_name,
    )


def project_from_idea(campaign, actor, idea) -> Project:
    """An agent turns an idea of the idea box into a project of the budget."""
    _require_staff(campaign, actor)
    if campaign.rules_frozen:
        raise ActionError(
            "rules_frozen",
            _("Le vote est ouvert : plus aucun projet ne peut être ajouté."),
            status=409,
        )
    if idea.collectivite_id != campaign.collectivite_id:
        raise ActionError("foreign_idea", _("Cette idée appartient à une autre collectivité."))
    if Project.objects.filter(campaign=campaign, idea=idea).exists():
        raise ActionError(
            "already_project", _("Cette idée est déjà un projet de ce budget."), status=409
        )
    project = Project.objects.create(
        collectivite=campaign.collectivite,
        campaign=campaign,
        title=idea.title,
        description=idea.body,
        idea=idea,
        author=idea.author,
        author_name=idea.author_name,
    )
    audit.record(actor, "participation.idea_to_project", obj=project, summary=idea.title)
    return project


def review_project(project, actor, *, feasible: bool, cost, reason: str) -> Project:
    """The technical review: feasible or not, cost estimate and reason."""
    _require_staff(project.campaign, actor)
    if project.campaign.rules_frozen:
        raise ActionError(
            "rules_frozen",
            _("Le vote est ouvert : la liste des projets soumis au vote est figée."),
            status=409,
        )
    if feasible and not cost:
        raise ActionError(
            "cost_required", _("Un projet réalisable doit avoir un coût estimé."), field="cost"
        )
    if feasible and cost > project.campaign.envelope:
        raise ActionError(
            "cost_over_envelope",
            _("Le coût estimé dépasse l'enveloppe du budget participatif."),
            field="cost",
        )
    if not reason.strip():
        raise ActionError("reason_required", _("Motivez l'avis technique."), field="reason")
    project.status = ProjectStatus.FEASIBLE if feasible else ProjectStatus.UNFEASIBLE
    project.cost = cost or None
    project.review_reason = reason.strip()
    project.save(update_fields=["status", "cost", "review_reason"])
    audit.record(
        actor,
        "participation.review",
        obj=project,
        summary=f"{project.title}: {project.get_status_display()}",
    )
    return project


def _not_in_census():
    return ActionError(
        "not_in_census",
        _(
            "Nous ne trouvons pas cette personne dans le fichier des votants. Vérifiez "
            "l'orthographe et la date de naissance, ou adressez-vous à la mairie."
        ),
        status=403,
    )


def _check_district(campaign, digest) -> None:
    entry = CensusEntry.objects.filter(campaign=campaign, identity_hash=digest).first()
    if entry is None:
        raise _not_in_census()
    if campaign.district and entry.district and entry.district != campaign.district:
        raise ActionError(
            "wrong_district",
            _("Ce vote est réservé aux habitants du quartier %(d)s.") % {"d": campaign.district},
            status=403,
        )


def _check_not_voted(campaign, digest) -> None:
    if Voter.objects.filter(campaign=campaign, identity_hash=digest).exists():
        raise ActionError("already_voted", _(ALREADY_VOTED), status=409)


def check_attempts(campaign, ip: str) -> str:
    """The network key of this IP; refuses after too many failed checks in an hour."""
    from django.conf import settings

    key = identity.keyed(campaign.salt, f"ip:{ip}")
    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    FailedCheck.objects.filter(created_at__lt=hour_ago).delete()
    failures = FailedCheck.objects.filter(campaign=campaign, network_key=key).count()
    if failures >= settings.PARTICIPATION_VERIFY_ATTEMPTS_PER_HOUR:
        raise ActionError(
            "too_many_attempts",
            _(
                "Trop d'essais de vérification depuis votre réseau : réessayez dans une heure "
                "ou adressez-vous à la mairie."
            ),
            status=429,
        )
    return key


def record_failure(campaign, key: str) -> None:
    FailedCheck.objects.create(campaign=campaign, network_key=key)


def verify_census(campaign, last_name: str, first_name: str, birth) -> str:
    """The identity hash of a person found in the census who has not voted yet."""
    digest = identity.identity_hash(campaign.salt, last_name, first_name, birth)
    _check_district(campaign, digest)
    _check_not_voted(campaign, digest)
    return digest


def verify_code(campaign, code: str) -> tuple[str, str]:
    """(identity hash, code hash) of an unused printed code."""
    digest = identity.code_hash(campaign.salt, code)
    found = VoteCode.objects.filter(campaign=campaign, code_hash=digest).first()
    if found is None:
        raise ActionError(
            "unknown_code",
            _(
                "Ce code n'est pas valable pour ce vote. Recopiez-le tel qu'il "
                "figure sur votre courrier."
            ),
            status=403,
        )
    if found.used:
        raise ActionError(
            "code_used", _("Ce code a déjà servi : il n'est valable qu'une fois."), status=409
        )
    _check_district(campaign, found.identity_hash)
    _check_not_voted(campaign, found.identity_hash)
    return found.identity_hash, digest


def verify_claims(campaign, claims: dict) -> str:
    """The identity hash of an OpenID Connect identity (given_name, family_name,
    birthdate); when a census is imported, the person must be in it."""
    birth = identity.parse_birth(claims.get("birthdate") or "")
    last, first = claims.get("family_name") or "", claims.get("given_name") or ""
    if not (birth and last and first):
        raise ActionError(
            "incomplete_identity",
            _("Le fournisseur d'identité n'a pas transmis nom, prénoms et date de naissance."),
            status=403,
        )
    digest = identity.identity_hash(campaign.salt, last, first, birth)
    if CensusEntry.objects.filter(campaign=campaign).exists() or campaign.district:
        _check_district(campaign, digest)
    _check_not_voted(campaign, digest)
    return digest


BALLOT_MESSAGES = {
    "empty_ballot": "Choisissez au moins un projet.",
    "duplicate_choice": "Un même projet est choisi deux fois.",
    "unknown_project": "Un des projets choisis n'est pas soumis à ce vote.",
    "too_many_projects": "Vous pouvez choisir au plus %(maximum)s projets (vous en avez "
    "choisi %(given)s).",
    "over_envelope": "Le total de vos projets (%(total)s €) dépasse l'enveloppe de %(envelope)s €.",
}


def _euros(n) -> str:
    return f"{n:,}".replace(",", "\u202f")


def cast_ballot(
    campaign, digest: str, channel: str, choices, *, code_hash: str = "", actor=None
) -> Ballot:
    """Record that this identity voted, and, apart, what was chosen; all or nothing."""
    paper = channel == Channel.PAPER
    if paper:
        _require_staff(campaign, actor)
    try:
        choices = [int(c) for c in choices]
    except (TypeError, ValueError):
        raise ActionError("unknown_project", _(BALLOT_MESSAGES["unknown_project"])) from None
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not locked.is_voting_open:
            raise ActionError("vote_closed", _("Le vote n'est pas ouvert."), status=409)
        if Voter.objects.filter(campaign=locked, identity_hash=digest).exists():
            raise ActionError("already_voted", _(ALREADY_VOTED), status=409)
        try:
            ordered = tally.check_ballot(
                choices,
                candidates(locked),
                rule=locked.rule,
                envelope=locked.envelope,
                max_projects=locked.max_projects,
            )
        except tally.BallotRejected as refused:
            details = {
                k: _euros(v) if isinstance(v, int) and k != "given" and k != "maximum" else v
                for k, v in refused.details.items()
            }
            raise ActionError(refused.code, _(BALLOT_MESSAGES[refused.code]) % details) from None
        if code_hash:
            used = VoteCode.objects.filter(campaign=locked, code_hash=code_hash, used=False).update(
                used=True
            )
            if not used:
                raise ActionError(
                    "code_used",
                    _("Ce code a déjà servi : il n'est valable qu'une fois."),
                    status=409,
                )
        try:
            with transaction.atomic():
                Voter.objects.create(campaign=locked, identity_hash=digest, channel=channel)
        except IntegrityError:
            raise ActionError("already_voted", _(ALREADY_VOTED), status=409) from None
        ballot = Ballot.objects.create(campaign=locked, choices=ordered, paper=paper)
        if paper:
            audit.record(
                actor, "participation.paper_ballot", obj=locked, summary=_("Bulletin papier saisi")
            )
    return ballot


def paper_ballot(
    campaign, actor, *, last_name="", first_name="", birth=None, code="", choices=()
) -> Ballot:
    """An agent enters the paper ballot of a person verified at the desk."""
    _require_staff(campaign, actor)
    code_digest = ""
    if code:
        digest, code_digest = verify_code(campaign, code)
    elif last_name and first_name and birth:
        digest = verify_census(campaign, last_name, first_name, birth)
    else:
        raise ActionError(
            "identity_required",
            _(
                "Indiquez le code du courrier, ou le nom, le prénom et la date de "
                "naissance du votant."
            ),
        )
    return cast_ballot(campaign, digest, Channel.PAPER, choices, code_hash=code_digest, actor=actor)
