"""Demonstration content of the participation module: Niort's idea box and an online
consultation with results; a participatory budget in voting phase in Arras (census and
printed codes imported) and one in technical review in Cahors, ready to open.

All people are fictitious. The letters with the Arras voting codes are written to
VAR_DIR/participation/ (like the demo's e-mails in var/mail), never to the logs.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from territoria.participation import budget_actions, consultation_actions
from territoria.participation.census import import_census
from territoria.participation.enums import Channel, Phase, ProjectStatus, Visibility
from territoria.participation.models import (
    Answer,
    Campaign,
    Comment,
    Consultation,
    Flag,
    Idea,
    Project,
    Support,
)

User = get_user_model()

LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Roux"]  # fmt: skip
FIRST = ["Camille", "Léa", "Hugo", "Louise", "Jules", "Chloé", "Lucas", "Emma", "Noé",
         "Manon", "Arthur", "Inès", "Paul", "Zoé", "Gabriel", "Alice"]  # fmt: skip

NIORT_IDEAS = [
    ("Un composteur partagé par quartier", "environment", "Quartier de Souché",
     "Des composteurs gérés par les habitants, avec une formation au démarrage.", 14),
    ("Des arceaux vélo devant le marché", "mobility", "Halles de Niort",
     "Le samedi matin, impossible d'attacher son vélo près des Halles.", 22),
    ("Une boîte à livres au jardin des plantes", "culture", "Jardin des plantes",
     "Une petite cabane pour échanger des livres, entretenue par des bénévoles.", 9),
    ("Ombrager la cour de l'école Jules-Ferry", "living", "",
     "Des arbres et des voiles d'ombrage pour les journées de canicule.", 17),
    ("Un atelier numérique pour les aînés", "digital", "Maison de quartier du Clou-Bouchet",
     "Une permanence hebdomadaire pour les démarches en ligne.", 6),
]  # fmt: skip

ARRAS_PROJECTS = [
    ("Jardin partagé de la citadelle", "Parcelles, récupérateur d'eau et abri à outils.",
     38_000, True, "Terrain municipal disponible ; coût chiffré par les espaces verts."),
    ("Pistes cyclables rue Baudimont", "Une piste protégée de 800 m vers les écoles.",
     90_000, True, "Faisable après l'étude de circulation déjà budgétée."),
    ("Boîtes à livres dans cinq quartiers", "Cinq boîtes fabriquées par le lycée professionnel.",
     6_000, True, "Emplacements validés avec les conseils de quartier."),
    ("Aire de jeux inclusive au parc Marcel-Pagnol", "Jeux accessibles aux enfants en fauteuil.",
     65_000, True, "Devis de deux fournisseurs ; conforme aux normes."),
    ("Fontaines à eau sur les places", "Trois fontaines raccordées au réseau.", 24_000, True,
     "Raccordements possibles place des Héros et Grand'Place."),
    ("Patinoire couverte", "Une patinoire toute l'année.", None, False,
     "Coût de construction et d'exploitation hors de l'enveloppe."),
]  # fmt: skip

CAHORS_PROJECTS = [
    ("Bancs et ombre sur les quais du Lot", 30_000, "Mobilier choisi avec l'architecte des "
     "bâtiments de France."),
    ("Vélos-cargos en prêt", 18_000, "Stationnement à la maison des services."),
    ("Fresques participatives", 12_000, "Murs proposés par les bailleurs sociaux."),
    ("Toilettes sèches au parc Tassart", 25_000, "Entretien confié à une association."),
]  # fmt: skip


def _residents(n=4):
    people = []
    for i in range(1, n + 1):
        user, created = User.objects.get_or_create(
            email=f"habitant{i}@demo.test", defaults={"full_name": f"Habitant {i}"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        people.append(user)
    return people


def _niort(niort, habitante, residents, agent) -> None:
    if Idea.objects.of(niort).exists():
        return
    rng = random.Random(79191)  # noqa: S311 - demo data
    supporters = residents  # habitante@demo.test supports nothing yet: the browser journey does
    now = timezone.now()
    for n, (title, category, place, body, supports) in enumerate(NIORT_IDEAS):
        idea = Idea.objects.create(
            collectivite=niort,
            author=habitante if n % 2 == 0 else residents[n % 4],
            author_name="Camille" if n % 2 == 0 else "",
            title=title,
            body=body,
            category=category,
            place=place,
            created_at=now - datetime.timedelta(days=30 - n * 4),
        )
        for user in supporters[: min(len(supporters), supports // 5 + 1)]:
            Support.objects.get_or_create(idea=idea, user=user)
        if n < 3:
            Comment.objects.create(
                idea=idea,
                author=rng.choice(residents),
                body="Bonne idée, je peux aider à l'organiser.",
            )
    answered = Idea.objects.get(collectivite=niort, title=NIORT_IDEAS[1][0])
    answered.status, answered.answered_at = "accepted", now
    answered.answer = (
        "Retenue : douze arceaux seront posés rue Brisson avant l'été ; "
        "le service voirie a validé les emplacements."
    )
    answered.save()
    studied = Idea.objects.get(collectivite=niort, title=NIORT_IDEAS[3][0])
    studied.status, studied.answered_at = "study", now
    studied.answer = "Le service des écoles chiffre les plantations pour l'automne."
    studied.save()
    spam = Idea.objects.create(
        collectivite=niort,
        author=residents[3],
        title="Achetez mes montres",
        body="Promotions sur mon site.",
        category="other",
        visibility=Visibility.PENDING,
    )
    for user in residents[:3]:
        Flag.objects.create(idea=spam, user=user, reason="Publicité")
    _consultation(niort, agent, rng)


def _consultation(niort, agent, rng) -> None:
    now = timezone.now()
    consultation = Consultation.objects.create(
        collectivite=niort,
        slug="velo-en-ville",
        title="Le vélo en ville",
        description="Aidez-nous à préparer le plan vélo 2027 : vos trajets, vos priorités.",
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now + datetime.timedelta(days=25),
        participation="anonymous",
        results_public=True,
        published=True,
    )
    add = consultation_actions.add_question
    q1 = add(
        consultation,
        agent,
        kind="single",
        label="Vous déplacez-vous à vélo ?",
        required=True,
        choices=["Chaque jour", "Parfois", "Jamais"],
    )
    q2 = add(
        consultation,
        agent,
        kind="multiple",
        label="Pour quels trajets ?",
        choices=["Travail", "École", "Courses", "Loisirs"],
        condition_question=q1,
        condition_choice="Chaque jour",
    )
    q3 = add(
        consultation,
        agent,
        kind="scale",
        label="Vous sentez-vous en sécurité à vélo ?",
        scale_min=1,
        scale_max=5,
    )
    q4 = add(
        consultation,
        agent,
        kind="ranking",
        label="Classez ces priorités",
        choices=["Pistes protégées", "Stationnement", "Zones 30"],
    )
    q5 = add(consultation, agent, kind="text", label="Une remarque ?")
    texts = [
        "Il manque une piste vers la gare.",
        "Plus d'arceaux près des écoles.",
        "Les carrefours du centre sont dangereux.",
    ]
    from territoria.participation.models import Response

    for i in range(64):
        response = Response.objects.create(
            consultation=consultation, respondent_key=f"demo-{i:04d}".ljust(64, "0")
        )
        habit = rng.choices(q1.choices, weights=[3, 4, 2])[0]
        answers = [
            Answer(response=response, question=q1, value=habit),
            Answer(response=response, question=q3, value=rng.randint(1, 5)),
            Answer(response=response, question=q4, value=rng.sample(q4.choices, 3)),
        ]
        if habit == "Chaque jour":
            answers.append(
                Answer(
                    response=response, question=q2, value=rng.sample(q2.choices, rng.randint(1, 3))
                )
            )
        if i < len(texts) + 1:
            answers.append(
                Answer(
                    response=response,
                    question=q5,
                    value=texts[i] if i < len(texts) else "Texte à relire",
                    review="published" if i < len(texts) else "pending",
                )
            )
        Answer.objects.bulk_create(answers)


def _census_text(rng, n=240) -> str:
    lines = ["nom;prenom;date_naissance;quartier;adresse"]
    seen = set()
    while len(lines) <= n:
        last, first = rng.choice(LAST), rng.choice(FIRST)
        birth = datetime.date(rng.randint(1940, 2006), rng.randint(1, 12), rng.randint(1, 28))
        if (last, first, birth) in seen:
            continue
        seen.add((last, first, birth))
        lines.append(
            f"{last};{first};{birth:%d/%m/%Y};{rng.choice(['Centre', 'Baudimont'])};"
            f"{rng.randint(1, 90)} rue fictive"
        )
    return "\n".join(lines) + "\n"


def _arras(arras, agent) -> None:
    if Campaign.objects.of(arras).exists():
        return
    rng = random.Random(62041)  # noqa: S311 - demo data
    now = timezone.now()
    campaign = Campaign.objects.create(
        collectivite=arras,
        slug="budget-participatif-2026",
        title="Budget participatif 2026",
        envelope=150_000,
        rule="budget",
        tie_break="lower_cost",
        allow_oidc=True,
        description="150 000 € pour des projets proposés et choisis par les Arrageois.",
        submission_start=(now - datetime.timedelta(days=90)).date(),
        review_start=(now - datetime.timedelta(days=45)).date(),
        voting_end=now + datetime.timedelta(days=21),
        results_date=(now + datetime.timedelta(days=28)).date(),
    )
    for title, description, cost, feasible, reason in ARRAS_PROJECTS:
        project = Project.objects.create(
            collectivite=arras,
            campaign=campaign,
            title=title,
            description=description,
            author_name="Un habitant",
        )
        budget_actions.review_project(project, agent, feasible=feasible, cost=cost, reason=reason)
    census = _census_text(rng)
    _added, _known, letters = import_census(campaign, agent, census, with_codes=True)
    folder = settings.VAR_DIR / "participation"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "courriers-arras.csv").write_text(letters, encoding="utf-8")
    campaign = budget_actions.open_vote(campaign, agent)
    feasible = list(
        Project.objects.filter(campaign=campaign, status=ProjectStatus.FEASIBLE).values_list(
            "pk", "cost"
        )
    )
    rows = [line.split(";") for line in census.strip().splitlines()[1:]]
    for last, first, birth, _district, _address in rows[100:160]:
        picks, total = [], 0
        for pk, cost in rng.sample(feasible, len(feasible)):
            if total + cost <= campaign.envelope and rng.random() < 0.6:
                picks.append(pk)
                total += cost
        if not picks:
            continue
        digest = budget_actions.verify_census(
            campaign, last, first, datetime.datetime.strptime(birth, "%d/%m/%Y").date()
        )  # noqa: DTZ007
        budget_actions.cast_ballot(campaign, digest, Channel.CENSUS, picks)


def _cahors(cahors, agent) -> None:
    if Campaign.objects.of(cahors).exists():
        return
    campaign = Campaign.objects.create(
        collectivite=cahors,
        slug="budget-participatif-2027",
        title="Budget participatif 2027",
        envelope=60_000,
        rule="approval",
        max_projects=2,
        tie_break="earlier",
        phase=Phase.REVIEW,
        description="60 000 € ; chaque votant choisit deux projets au plus.",
    )
    for title, cost, reason in CAHORS_PROJECTS:
        project = Project.objects.create(
            collectivite=cahors,
            campaign=campaign,
            title=title,
            description=title + ".",
            author_name="Un habitant",
        )
        budget_actions.review_project(project, agent, feasible=True, cost=cost, reason=reason)
    import_census(campaign, agent, _census_text(random.Random(46042), 60))  # noqa: S311


def load(collectivites) -> None:
    """Add this module's demo content; idempotent."""
    by_slug = {c.slug: c for c in collectivites}
    habitante = User.objects.filter(email="habitante@demo.test").first()
    if habitante is None:
        return
    with transaction.atomic():
        residents = _residents()
        for slug, build in (("niort", None), ("arras", _arras), ("cahors", _cahors)):
            if slug not in by_slug:
                continue
            agent = User.objects.get(email=f"agent.{slug}@demo.test")
            if build is None:
                _niort(by_slug[slug], habitante, residents, agent)
            else:
                build(by_slug[slug], agent)
