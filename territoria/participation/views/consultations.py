"""Consultations: the questionnaire, results as charts, CSV export; agents build the
questionnaire and moderate free-text answers before they are published."""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria import tabular
from territoria.accounts.actions import ActionError
from territoria.charts import bar_chart
from territoria.participation import consultation_actions, survey
from territoria.participation.enums import QuestionKind, TextReview
from territoria.participation.forms import (
    ConsultationForm,
    ConsultationSettingsForm,
    QuestionForm,
)
from territoria.participation.models import Answer, Consultation
from territoria.participation.views.common import (
    client_ip,
    is_staff,
    public_collectivite,
    refuse,
    staff_collectivite,
)

TOKEN_COOKIE = "territoria_survey"  # noqa: S105 (a cookie name)


def _consultation(request, slug, consultation) -> Consultation:
    place = public_collectivite(slug)
    found = get_object_or_404(Consultation, collectivite=place, slug=consultation)
    found.collectivite = place
    if not found.get_abilities(request.user)["view"]:
        raise Http404
    return found


def _raw_answers(post, questions) -> dict:
    raw = {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == QuestionKind.MULTIPLE:
            raw[q.pk] = post.getlist(name)
        elif q.kind == QuestionKind.RANKING:
            ranks = {}
            for i, choice in enumerate(q.choices):
                ranks[choice] = post.get(f"{name}_{i}", "")
            if all(ranks.values()):
                raw[q.pk] = [c for c, _r in sorted(ranks.items(), key=lambda kv: kv[1])]
                if len(set(ranks.values())) != len(ranks):
                    raw[q.pk] = ["__duplicate__"]
            else:
                raw[q.pk] = []
        else:
            raw[q.pk] = post.get(name, "")
    return raw


def consultation(request, slug, consultation):
    """The questionnaire; one response per account or per browser."""
    found = _consultation(request, slug, consultation)
    questions = list(found.questions.select_related("condition_question"))
    errors, status = {}, 200
    token = request.COOKIES.get(TOKEN_COOKIE) or secrets.token_urlsafe(24)
    if request.method == "POST":
        try:
            consultation_actions.submit_response(
                found,
                request.user,
                _raw_answers(request.POST, questions),
                browser_token=token,
                ip=client_ip(request),
            )
        except consultation_actions.AnswerErrors as refused:
            errors, status = refused.errors, 400
            messages.error(request, str(refused.message))
        except ActionError as refused:
            status = refused.status
            messages.error(request, str(refused.message))
        else:
            messages.success(request, _("Merci, votre réponse est enregistrée."))
            response = (
                redirect("participation:consultation_results", slug=slug, consultation=found.slug)
                if found.results_public
                else redirect(found.collectivite.get_absolute_url())
            )
            response.set_cookie(
                TOKEN_COOKIE, token, max_age=3600 * 24 * 365, httponly=True, samesite="Lax"
            )
            return response
    for q in questions:
        q.error = errors.get(q.pk)
        q.ranks = range(1, len(q.choices) + 1)
        q.scale = range(q.scale_min, q.scale_max + 1)
    response = render(
        request,
        "participation/consultation.html",
        {
            "consultation": found,
            "collectivite": found.collectivite,
            "questions": questions,
            "posted": request.POST,
            "staff": is_staff(request, found.collectivite),
        },
        status=status,
    )
    response.set_cookie(TOKEN_COOKIE, token, max_age=3600 * 24 * 365, httponly=True, samesite="Lax")
    return response


def _results(found, staff: bool):
    questions = list(found.questions.all())
    specs = consultation_actions.specs(found)
    answers = Answer.objects.filter(response__consultation=found).values_list(
        "question_id", "value"
    )
    summary = survey.results(specs, answers)
    blocks = []
    for q in questions:
        entry = summary[q.pk]
        block = {"question": q, **entry}
        pairs = entry.get("counts") or entry.get("scores")
        if pairs:
            label = _("Points (classement)") if "scores" in entry else _("Réponses")
            block["chart"] = bar_chart(list(pairs), title=q.label, y_label=label, height=260)
            block["pairs"] = pairs
        if q.kind == QuestionKind.TEXT:
            texts = Answer.objects.filter(question=q)
            block["texts"] = texts if staff else texts.filter(review=TextReview.PUBLISHED)
        blocks.append(block)
    return blocks


def consultation_results(request, slug, consultation):
    found = _consultation(request, slug, consultation)
    staff = is_staff(request, found.collectivite)
    if not (found.results_public or staff):
        raise Http404
    return render(
        request,
        "participation/consultation_results.html",
        {
            "consultation": found,
            "collectivite": found.collectivite,
            "blocks": _results(found, staff),
            "staff": staff,
            "responses": found.responses.count(),
        },
    )


def consultation_export(request, slug, consultation):
    """One row per response, one column per question (agents only; no respondent key)."""
    place = staff_collectivite(request, slug)
    found = get_object_or_404(Consultation, collectivite=place, slug=consultation)
    questions = list(found.questions.all())
    response, writer = tabular.csv_response(f"{found.slug}.csv", delimiter=";")
    writer.writerow([_("réponse")] + [q.label for q in questions])
    rows = {}
    for response_id, qid, value in Answer.objects.filter(response__consultation=found).values_list(
        "response_id", "question_id", "value"
    ):
        rows.setdefault(response_id, {})[qid] = value
    for number, (_rid, values) in enumerate(sorted(rows.items()), start=1):
        cells = []
        for q in questions:
            value = values.get(q.pk, "")
            cells.append(
                " > ".join(value)
                if q.kind == QuestionKind.RANKING and value
                else " | ".join(value)
                if isinstance(value, list)
                else value
            )
        writer.writerow([number, *cells])
    return response


def consultation_new(request, slug):
    place = staff_collectivite(request, slug)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = form.save(commit=False)
        found.collectivite = place
        if Consultation.objects.filter(collectivite=place, slug=found.slug).exists():
            form.add_error("slug", _("Cet identifiant est déjà pris."))
        elif found.closes_at <= found.opens_at:
            form.add_error("closes_at", _("La clôture doit suivre l'ouverture."))
        else:
            found.save()
            return redirect("participation:consultation_manage", slug=slug, consultation=found.slug)
    return render(
        request,
        "participation/consultation_form.html",
        {"collectivite": place, "form": form},
        status=400 if form.errors else 200,
    )


def consultation_manage(request, slug, consultation):
    """The questionnaire builder and the moderation of free-text answers."""
    place = staff_collectivite(request, slug)
    found = get_object_or_404(Consultation, collectivite=place, slug=consultation)
    editing = request.method == "POST" and "settings" in request.POST
    settings_form = ConsultationSettingsForm(
        request.POST if editing else None, instance=found, prefix="settings"
    )
    if editing and settings_form.is_valid():
        settings_form.save()
        messages.success(request, _("Consultation enregistrée."))
        return redirect("participation:consultation_manage", slug=slug, consultation=found.slug)
    form = QuestionForm(
        request.POST if request.method == "POST" and not editing else None, consultation=found
    )
    if request.method == "POST" and not editing and form.is_valid():
        data = dict(form.cleaned_data)
        data["choices"] = data["choices"].splitlines()
        try:
            consultation_actions.add_question(found, request.user, **data)
        except PermissionDenied:
            raise
        except ActionError as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Question ajoutée."))
            return redirect("participation:consultation_manage", slug=slug, consultation=found.slug)
    pending = Answer.objects.filter(
        question__consultation=found, review=TextReview.PENDING
    ).select_related("question")
    return render(
        request,
        "participation/consultation_manage.html",
        {
            "consultation": found,
            "collectivite": place,
            "form": form,
            "settings_form": settings_form,
            "questions": found.questions.select_related("condition_question"),
            "pending": pending,
            "responses": found.responses.count(),
        },
        status=400 if form.errors or settings_form.errors else 200,
    )


@require_POST
def consultation_texts(request, slug, consultation):
    place = staff_collectivite(request, slug)
    found = get_object_or_404(Consultation, collectivite=place, slug=consultation)
    n = consultation_actions.review_texts(
        found,
        request.user,
        publish=request.POST.getlist("publish"),
        reject=request.POST.getlist("reject"),
    )
    messages.success(request, _("%(n)s réponses modérées.") % {"n": n})
    return redirect("participation:consultation_manage", slug=slug, consultation=found.slug)
