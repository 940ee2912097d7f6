"""Writes of providers and operators on the catalogue: each verb validates, writes,
records the offer's history (SolutionRevision) and the audit event in one transaction;
emails to providers are enqueued on commit."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from django_tasks import task

from territoria.accounts import audit
from territoria.catalogue.enums import Moderation
from territoria.catalogue.models import Figure, Provider, Solution, SolutionRevision
from territoria.mail import render_email

audit.register_actions(
    {
        "provider.registered": gettext_lazy("Fournisseur inscrit"),
        "solution.submitted": gettext_lazy("Offre soumise"),
        "solution.updated": gettext_lazy("Offre modifiée"),
        "solution.approved": gettext_lazy("Offre publiée"),
        "solution.rejected": gettext_lazy("Offre refusée"),
        "figure.verified": gettext_lazy("Chiffre vérifié"),
    }
)

SNAPSHOT_FIELDS = (
    "name", "summary", "description", "maturity", "licence_kind", "licence_name", "code_url",
    "hosting", "secnumcloud", "purchase_channels", "reversibility", "accessibility", "security",
    "population_min", "population_max",
)  # fmt: skip


def snapshot(solution: Solution) -> dict:
    """The offer as people read it: fields, use cases, standards and figures as text."""
    data = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(solution, name)
        field = solution._meta.get_field(name)
        if field.choices and value:
            value = str(dict(field.choices).get(value, value))
        elif isinstance(value, list):
            value = ", ".join(sorted(value))
        data[name] = "" if value is None else str(value)
    data["use_cases"] = ", ".join(sorted(u.title for u in solution.use_cases.all()))
    data["standards"] = ", ".join(sorted(t.name for t in solution.standards.all()))
    data["figures"] = "\n".join(
        f"{f.get_metric_display()} — {f.label} : {f.value_min}–{f.value_max} "
        f"{f.get_unit_display()} {f.basis}".strip()
        for f in solution.figures.order_by("metric", "label", "pk")
    )
    return data


def field_label(name: str) -> str:
    if name == "figures":
        return _("Chiffres")
    return str(Solution._meta.get_field(name).verbose_name).capitalize()


def diff(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) for every field that differs between two snapshots."""
    return [
        (field_label(name), before.get(name, ""), after.get(name, ""))
        for name in after
        if before.get(name, "") != after.get(name, "")
    ]


def last_approved_snapshot(solution: Solution) -> dict:
    revision = solution.revisions.filter(status_after=Moderation.APPROVED).first()
    return revision.snapshot if revision is not None else {}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "offre"
    slug, counter = base, 2
    while Solution.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _check_member(user, provider: Provider) -> None:
    if not provider.is_member(user):
        raise PermissionDenied


def _check_operator(user) -> None:
    if not (user.is_authenticated and user.is_operator):
        raise PermissionDenied


def _revise(solution, user, action, status_before, *, changes=None, reason="") -> SolutionRevision:
    return SolutionRevision.objects.create(
        solution=solution,
        author=user,
        action=action,
        status_before=status_before,
        status_after=solution.status,
        changes=changes or {},
        snapshot=snapshot(solution),
        reason=reason,
    )


@transaction.atomic
def register_provider(user, form) -> Provider:
    """Create the provider of a valid ProviderForm; the person becomes its member."""
    provider = form.save()
    provider.members.add(user)
    audit.record(user, "provider.registered", obj=provider, summary=provider.name)
    return provider


def _save_offer(user, solution, form, formset, draft: bool):
    solution.status = Moderation.DRAFT if draft else Moderation.SUBMITTED
    if not draft:
        solution.submitted_at = timezone.now()
    solution.rejection_reason = ""
    solution.save()
    form.save_m2m()
    formset.instance = solution
    for figure_form in formset.forms:
        if figure_form.has_changed() and figure_form.instance.pk:
            figure_form.instance.verified_at = None  # a changed figure needs a new check
            figure_form.instance.verified_by = None
    formset.save()
    solution.refresh_summary()  # also reindexes use cases, standards and status


@transaction.atomic
def submit_solution(user, provider: Provider, form, formset, *, draft=False) -> Solution:
    """Save a new offer of valid forms as submitted (or draft)."""
    _check_member(user, provider)
    solution = form.save(commit=False)
    solution.provider = provider
    solution.slug = _unique_slug(solution.name)
    _save_offer(user, solution, form, formset, draft)
    _revise(solution, user, "submitted", "")
    audit.record(user, "solution.submitted", obj=solution, summary=solution.name)
    return solution


@transaction.atomic
def update_solution(user, solution: Solution, form, formset, *, draft=False) -> Solution:
    """Save an edit of one's offer: it goes back to moderation (or to draft) and leaves
    the public catalogue until approved again."""
    _check_member(user, solution.provider)
    status_before = Solution.objects.get(pk=solution.pk).status
    before = snapshot(Solution.objects.get(pk=solution.pk))
    solution = form.save(commit=False)
    _save_offer(user, solution, form, formset, draft)
    after = snapshot(solution)
    changes = {name: [before.get(name, ""), value] for name, value in after.items()
               if before.get(name, "") != value}  # fmt: skip
    _revise(solution, user, "updated", status_before, changes=changes)
    audit.record(user, "solution.updated", obj=solution, summary=solution.name, changes=changes)
    return solution


def _decide(user, solution, status, action, reason):
    _check_operator(user)
    solution = Solution.objects.select_for_update().get(pk=solution.pk)
    status_before = solution.status
    solution.status = status
    solution.moderated_at = timezone.now()
    solution.moderated_by = user
    solution.rejection_reason = reason if status == Moderation.REJECTED else ""
    solution.save()
    revision = _revise(solution, user, action, status_before, reason=reason)
    audit.record(
        user, f"solution.{action}", obj=solution, summary=solution.name,
        changes={"status": [status_before, status], "reason": reason},
    )  # fmt: skip
    transaction.on_commit(partial(notify_decision.enqueue, revision.pk))
    return solution


@transaction.atomic
def approve_solution(user, solution: Solution, reason: str) -> Solution:
    return _decide(user, solution, Moderation.APPROVED, "approved", reason)


@transaction.atomic
def reject_solution(user, solution: Solution, reason: str) -> Solution:
    return _decide(user, solution, Moderation.REJECTED, "rejected", reason)


@transaction.atomic
def verify_figure(user, figure: Figure) -> Figure:
    """Mark a figure as checked by an operator (who and when are shown next to it)."""
    _check_operator(user)
    figure.verified_at = timezone.now()
    figure.verified_by = user
    figure.save(update_fields=["verified_at", "verified_by"])
    audit.record(user, "figure.verified", obj=figure, summary=figure.label)
    return figure


@task()
def notify_decision(revision_id: int) -> int:
    """Mail the provider's members an operator's decision on their offer; returns the
    number of messages sent.

    Idempotent: the revision is first claimed (`notified_at`, one conditional UPDATE), so
    a second run sends nothing; if sending fails, the claim is undone for a retry.
    """
    claimed = SolutionRevision.objects.filter(pk=revision_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    revision = SolutionRevision.objects.select_related("solution__provider").get(pk=revision_id)
    provider = revision.solution.provider
    if provider is None:
        return 0
    sent = 0
    try:
        with translation.override(settings.LANGUAGE_CODE):
            for member in provider.members.filter(is_active=True).order_by("pk"):
                context = {
                    "SITE_NAME": settings.SITE_NAME,
                    "revision": revision,
                    "solution": revision.solution,
                    "approved": revision.status_after == Moderation.APPROVED,
                    "url": settings.SITE_URL + provider_url(provider),
                }
                subject, body = render_email("catalogue/provider_email_decision", context)
                EmailMessage(subject, body, to=[member.email]).send()
                sent += 1
    except Exception:
        SolutionRevision.objects.filter(pk=revision_id).update(notified_at=None)
        raise
    return sent


def provider_url(provider: Provider) -> str:
    return reverse("catalogue:provider", kwargs={"pk": provider.pk})
