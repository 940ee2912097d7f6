"""Writes of the roadmap: validate everything, solve, then write in one transaction.
A plan that cannot be computed leaves nothing behind."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria.accounts.actions import ActionError
from territoria.accounts.audit import record
from territoria.catalogue.models import UseCase
from territoria.roadmap import optimiser, planning
from territoria.roadmap.enums import End, Lock
from territoria.roadmap.models import Profile, Project, Scenario


def _require_change(obj, user, ability="change"):
    if not obj.get_abilities(user)[ability]:
        raise PermissionDenied


def save_profile(user, profile: Profile, changed: list[str]) -> Profile:
    """Save a validated profile; the fields edited stop being hypotheses. Élus set the
    priorities (weights); the rest of the profile is the agents' work."""
    _require_change(profile, user, "steer" if set(changed) <= {"weights"} else "edit_profile")
    profile.hypotheses = [name for name in profile.hypotheses if name not in changed]
    profile.updated_by = user
    with transaction.atomic():
        profile.save()
        record(
            user, "roadmap.profile_saved", collectivite=profile.collectivite, obj=profile,
            summary=_("Profil du territoire modifié"),
            changes={name: [None, str(getattr(profile, name, ""))] for name in changed},
        )  # fmt: skip
    return profile


def store_result(scenario: Scenario, result: dict, projects: dict) -> None:
    """Write a solved result and the projects of its central plan (inside a transaction)."""
    central = result["ends"][End.CENTRAL]
    starts, reasons = central["starts"], central["reasons"]
    economics = result["economics"]
    needed = set(starts) | {slug for slug, p in projects.items() if p.has_decision}
    use_cases = {uc.slug: uc for uc in UseCase.objects.filter(slug__in=needed)}
    keep = []
    for slug in needed:
        project = projects.get(slug) or Project(use_case=use_cases[slug])
        if project.pk is None:
            project.collectivite, project.scenario = scenario.collectivite, scenario
        eco = economics.get(slug)
        planned = slug in starts or project.lock == Lock.DONE
        project.start_year = starts.get(
            slug, project.lock_year if project.lock == Lock.DONE else None
        )
        project.planned_capex = Decimal(round(eco["capex"][1], 2)) if eco and planned else None
        project.planned_opex = Decimal(round(eco["opex"][1], 2)) if eco and planned else None
        project.planned_saving = Decimal(round(eco["saving"][1], 2)) if eco and planned else None
        aid = _aid_range(eco) if eco and planned else None
        project.expected_aid_min = Decimal(round(aid[0], 2)) if aid else None
        project.expected_aid_max = Decimal(round(aid[1], 2)) if aid else None
        project.aid_source = ", ".join(eco.get("aid_programmes", []))[:300] if aid else ""
        project.reason = reasons.get(slug, "")
        project.save()
        keep.append(project.pk)
    Project.objects.filter(scenario=scenario).exclude(pk__in=keep).delete()
    scenario.result = result
    scenario.solved_at = timezone.now()
    scenario.save(update_fields=["result", "solved_at", "updated_at"])


def _aid_range(eco: dict) -> tuple[float, float] | None:
    """The project's aid, low to high, at its planned (central) cost: the range the
    funding page computes. Results solved before it was stored sort the ends' aids."""
    if "aid_range" in eco:
        return tuple(eco["aid_range"])
    return tuple(sorted((eco["aid"][0], eco["aid"][2]))) if eco.get("aid") else None


def _projects(scenario) -> dict:
    return {
        p.use_case.slug: p
        for p in Project.objects.filter(scenario=scenario).select_related("use_case")
    }


def with_group_purchases(collectivite, projects: dict) -> dict:
    """A group purchase the collectivité joined is a project of its plan: imposed, with
    the collectivité's share of the groupement as its investment (unless an élu decided
    otherwise for that project)."""
    from territoria.purchasing.links import member_shares

    shares = member_shares(collectivite)
    use_cases = UseCase.objects.in_bulk([s["use_case"] for s in shares], field_name="slug")
    for share in shares:
        project = projects.get(share["use_case"])
        if project is None:
            project = Project(use_case=use_cases[share["use_case"]], lock=Lock.IMPOSED)
            projects[share["use_case"]] = project
        if project.lock in (Lock.DONE, Lock.EXCLUDED) or project.capex_override is not None:
            continue
        project.capex_override = Decimal(str(round(share["share_eur"], 2)))
        project.override_note = (
            _("Part de la collectivité dans l'achat groupé « %(title)s »") % share
        )[:300]
    return projects


def _solve(profile, projects, scenario=None) -> dict:
    with_group_purchases(profile.collectivite, projects)
    first_year = scenario.replanned_from if scenario is not None else None
    if first_year is not None and first_year <= profile.first_year:
        first_year = None
    try:
        return planning.solve_scenario(profile, projects, first_year)
    except optimiser.PlanError as error:
        raise ActionError(error.code, error.message) from error


def create_scenario(user, collectivite, name: str, copy_from: Scenario | None = None) -> Scenario:
    """A new scenario (optionally with another's decisions), solved at once."""
    name = (name or "").strip()
    if not name:
        raise ActionError("name_required", _("Donnez un nom au scénario."), field="name")
    probe = Scenario(collectivite=collectivite)
    _require_change(probe, user)
    if Scenario.objects.filter(collectivite=collectivite, name=name).exists():
        raise ActionError(
            "name_taken", _("Un scénario porte déjà ce nom : choisissez-en un autre."), field="name"
        )
    profile = planning.profile_for(collectivite)
    try:
        with transaction.atomic():
            scenario = Scenario.objects.create(
                collectivite=collectivite, name=name, created_by=user,
                is_current=not Scenario.objects.filter(collectivite=collectivite).exists(),
            )  # fmt: skip
            projects = {}
            if copy_from is not None:
                for source in Project.objects.filter(scenario=copy_from).select_related("use_case"):
                    if not source.has_decision and source.expected_aid_min is None:
                        continue
                    source.pk = None
                    source.scenario = scenario
                    source.save()
                    projects[source.use_case.slug] = source
            store_result(scenario, _solve(profile, projects), projects)
            record(user, "roadmap.scenario_created", collectivite=collectivite, obj=scenario,
                   summary=_("Scénario « %(name)s » créé") % {"name": name})  # fmt: skip
    except IntegrityError as error:
        raise ActionError(
            "name_taken", _("Un scénario porte déjà ce nom."), field="name"
        ) from error
    return scenario


def decide(user, scenario: Scenario, use_case: UseCase, values: dict) -> Scenario:
    """Set the decision and figures of one use case in a scenario and re-plan; if the
    new plan is impossible, nothing changes and the error says why."""
    _require_change(scenario, user)
    with transaction.atomic():
        projects = _projects(scenario)
        project = projects.get(use_case.slug) or Project(
            collectivite=scenario.collectivite, scenario=scenario, use_case=use_case
        )
        for name, value in values.items():
            setattr(project, name, value)
        if project.lock not in (Lock.IMPOSED, Lock.DONE):
            project.lock_year = None
        project.save()
        projects[use_case.slug] = project
        store_result(
            scenario,
            _solve(planning.profile_for(scenario.collectivite), projects, scenario),
            projects,
        )
        record(user, "roadmap.decision", collectivite=scenario.collectivite, obj=scenario,
               summary=_("Décision sur « %(uc)s »") % {"uc": use_case.title})  # fmt: skip
    return scenario


def replan(user, scenario: Scenario) -> Scenario:
    """Re-plan after the profile changed."""
    _require_change(scenario, user)
    with transaction.atomic():
        projects = _projects(scenario)
        store_result(
            scenario,
            _solve(planning.profile_for(scenario.collectivite), projects, scenario),
            projects,
        )
    return scenario


def lock_done_until(user, scenario: Scenario, year: int) -> Scenario:
    """ "Politique des petits pas": what the plan started up to `year` becomes done, and
    the rest is planned again from the year after."""
    _require_change(scenario, user)
    profile = planning.profile_for(scenario.collectivite)
    if not profile.pk:
        raise ActionError("no_profile", _("Enregistrez d'abord le profil du territoire."))
    first = max(scenario.replanned_from or 0, profile.first_year)
    last = profile.first_year + profile.horizon_years - 1
    if not first <= year < last:
        raise ActionError(
            "bad_year",
            _("Choisissez une année entre %(first)s et %(last)s.")
            % {"first": first, "last": last - 1},
            field="year",
        )
    with transaction.atomic():
        projects = _projects(scenario)
        for project in projects.values():
            if (
                project.start_year is not None
                and project.start_year <= year
                and project.lock != Lock.EXCLUDED
            ):
                project.lock, project.lock_year = Lock.DONE, project.start_year
                project.save()
        scenario.replanned_from = year + 1
        scenario.save(update_fields=["replanned_from"])
        store_result(scenario, _solve(profile, projects, scenario), projects)
        summary = _("Réalisé jusqu'en %(year)s, reste replanifié") % {"year": year}
        record(
            user, "roadmap.locked_done", collectivite=scenario.collectivite, obj=scenario,
            summary=summary,
        )  # fmt: skip
    return scenario


def make_current(user, scenario: Scenario) -> None:
    _require_change(scenario, user)
    with transaction.atomic():
        Scenario.objects.filter(collectivite=scenario.collectivite).update(is_current=False)
        Scenario.objects.filter(pk=scenario.pk).update(is_current=True)


def adopt_scenario(user, scenario: Scenario, deliberation_ref: str, adopted_on) -> None:
    """Record the council's adoption of a scenario; it becomes the reference plan."""
    _require_change(scenario, user, "adopt")
    deliberation_ref = (deliberation_ref or "").strip()
    if not deliberation_ref:
        raise ActionError(
            "deliberation_required",
            _("Indiquez la référence de la délibération qui adopte ce scénario."),
            field="deliberation_ref",
        )
    if adopted_on is None or adopted_on > timezone.localdate():
        raise ActionError(
            "adoption_date",
            _("La date d'adoption est celle de la délibération, passée ou du jour."),
            field="adopted_on",
        )
    if not scenario.solved_at:
        raise ActionError("not_solved", _("Ce scénario n'a pas de plan calculé à adopter."))
    with transaction.atomic():
        Scenario.objects.filter(collectivite=scenario.collectivite).update(
            is_current=False, adopted_on=None, deliberation_ref=""
        )
        Scenario.objects.filter(pk=scenario.pk).update(
            is_current=True, adopted_on=adopted_on, deliberation_ref=deliberation_ref
        )
        record(user, "roadmap.scenario_adopted", collectivite=scenario.collectivite,
               obj=scenario, summary=_("Scénario « %(name)s » adopté (%(ref)s)")
               % {"name": scenario.name, "ref": deliberation_ref})  # fmt: skip


def delete_scenario(user, scenario: Scenario) -> None:
    _require_change(scenario, user)
    with transaction.atomic():
        record(user, "roadmap.scenario_deleted", collectivite=scenario.collectivite,
               summary=_("Scénario « %(name)s » supprimé") % {"name": scenario.name})  # fmt: skip
        scenario.delete()
