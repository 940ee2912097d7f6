"""Writes of consultations: questionnaire building, responses, text moderation."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.participation import identity, survey
from territoria.participation.enums import Participation, QuestionKind, TextReview
from territoria.participation.models import Answer, Question, Response

ERRORS = {
    "required": "Cette question demande une réponse.",
    "unknown_choice": "Choisissez parmi les réponses proposées.",
    "not_on_scale": "Choisissez une valeur de l'échelle.",
    "too_long": "Votre réponse dépasse 3 000 caractères.",
    "incomplete_ranking": "Classez chaque proposition, une place chacune.",
}


class AnswerErrors(ActionError):
    def __init__(self, errors: dict[int, str]):
        super().__init__("invalid_answers", _("Certaines réponses sont à corriger."))
        self.errors = {qid: _(ERRORS.get(code, code)) for qid, code in errors.items()}


def specs(consultation) -> list[survey.Spec]:
    return [
        survey.Spec(
            q.pk,
            q.kind,
            q.label,
            q.required,
            tuple(q.choices),
            q.scale_min,
            q.scale_max,
            (q.condition_question_id, q.condition_choice) if q.condition_question_id else None,
        )
        for q in consultation.questions.all()
    ]


def add_question(
    consultation,
    actor,
    *,
    kind,
    label,
    required=False,
    choices=(),
    scale_min=1,
    scale_max=5,
    condition_question=None,
    condition_choice="",
):
    if not consultation.get_abilities(actor)["change"]:
        raise PermissionDenied
    if consultation.responses.exists():
        raise ActionError(
            "has_responses",
            _("Des réponses ont déjà été reçues : le questionnaire est figé."),
            status=409,
        )
    choices = [c.strip() for c in choices if c.strip()]
    if (
        kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING}
        and len(choices) < 2
    ):
        raise ActionError(
            "choices_required", _("Proposez au moins deux choix, un par ligne."), field="choices"
        )
    if kind == QuestionKind.SCALE and scale_min >= scale_max:
        raise ActionError(
            "bad_scale", _("Le bas de l'échelle doit être inférieur au haut."), field="scale_max"
        )
    if condition_question is not None:
        if condition_question.consultation_id != consultation.pk:
            raise ActionError("bad_condition", _("Cette question n'est pas de ce questionnaire."))
        if condition_choice not in condition_question.choices:
            raise ActionError(
                "bad_condition",
                _("La condition doit reprendre un des choix de la question choisie."),
                field="condition_choice",
            )
    position = consultation.questions.count() + 1
    return Question.objects.create(
        consultation=consultation,
        position=position,
        kind=kind,
        label=label,
        required=required,
        choices=choices if kind != QuestionKind.SCALE else [],
        scale_min=scale_min,
        scale_max=scale_max,
        condition_question=condition_question,
        condition_choice=condition_choice if condition_question else "",
    )


def respondent_key(consultation, user, browser_token: str) -> str:
    if consultation.participation == Participation.VERIFIED:
        if not user.is_authenticated:
            raise ActionError(
                "login_required",
                _("Connectez-vous pour répondre à cette consultation."),
                status=401,
            )
        return identity.keyed(consultation.salt, f"user:{user.pk}")
    if not browser_token:
        raise ActionError(
            "token_required",
            _("Votre navigateur doit accepter les cookies pour répondre."),
            status=400,
        )
    return identity.keyed(consultation.salt, f"browser:{browser_token}")


def submit_response(consultation, user, raw: dict, *, browser_token="", ip="") -> Response:
    if not consultation.is_open:
        raise ActionError("closed", _("Cette consultation n'est pas ouverte."), status=409)
    key = respondent_key(consultation, user, browser_token)
    if Response.objects.filter(consultation=consultation, respondent_key=key).exists():
        raise ActionError(
            "already_answered", _("Vous avez déjà répondu à cette consultation."), status=409
        )
    network = identity.keyed(consultation.salt, f"ip:{ip}") if ip else ""
    if consultation.participation == Participation.ANONYMOUS and network:
        hour_ago = timezone.now() - timezone.timedelta(hours=1)
        recent = Response.objects.filter(
            consultation=consultation, network_key=network, created_at__gte=hour_ago
        ).count()
        if recent >= settings.PARTICIPATION_SURVEY_RATE_LIMIT_PER_HOUR:
            raise ActionError(
                "rate_limited",
                _("Trop de réponses depuis votre réseau : réessayez dans une heure."),
                status=429,
            )
    questions = specs(consultation)
    cleaned, errors = survey.clean_answers(questions, raw)
    if errors:
        raise AnswerErrors(errors)
    kinds = {q.id: q.kind for q in questions}
    try:
        with transaction.atomic():
            response = Response.objects.create(
                consultation=consultation, respondent_key=key, network_key=network
            )
            Answer.objects.bulk_create(
                [
                    Answer(
                        response=response,
                        question_id=qid,
                        value=value,
                        review=TextReview.PENDING if kinds[qid] == survey.TEXT else "",
                    )
                    for qid, value in cleaned.items()
                ]
            )
    except IntegrityError:
        raise ActionError(
            "already_answered", _("Vous avez déjà répondu à cette consultation."), status=409
        ) from None
    return response


def review_texts(consultation, actor, *, publish=(), reject=()) -> int:
    if not consultation.get_abilities(actor)["change"]:
        raise PermissionDenied
    base = Answer.objects.filter(
        question__consultation=consultation, question__kind=QuestionKind.TEXT
    )
    with transaction.atomic():
        n = base.filter(pk__in=list(publish)).update(review=TextReview.PUBLISHED)
        n += base.filter(pk__in=list(reject)).update(review=TextReview.REJECTED)
        audit.record(
            actor,
            "participation.texts",
            obj=consultation,
            summary=_("%(n)s réponses libres modérées") % {"n": n},
        )
    return n
