"""Programmes for the funding tests, written like the shipped ones."""

from itertools import count

from territoria.funding.models import Funder, NamedList, Programme, Window

_seq = count(1)

# DETR as the reference describes it: small communes, medium ones under a condition a
# program cannot check, EPCI up to 75,000 inhabitants under conditions.
DETR_RULES = [
    {
        "any": [
            {"all": [{"kind_in": ["commune"]}, {"population_max": 2000}]},
            {
                "all": [
                    {"kind_in": ["commune"]},
                    {"population_min": 2001},
                    {"population_max": 20000},
                    {"check": "potentiel financier par habitant inférieur à 1,3 fois la "
                     "moyenne de la strate"},
                ]
            },
            {"all": [{"kind_in": ["epci"]}, {"population_max": 75000},
                     {"check": "conditions propres aux EPCI"}]},
        ]
    }
]  # fmt: skip


def make_programme(slug=None, *, funders=("État",), windows=(), use_cases=(), **fields):
    slug = slug or f"programme-{next(_seq)}"
    values = {
        "name": slug.replace("-", " ").capitalize(),
        "aid_types": ["grant"],
        "beneficiaries": ["commune", "epci"],
        **fields,
    }
    programme = Programme.objects.create(slug=slug, **values)
    for name in funders:
        funder, _ = Funder.objects.get_or_create(name=name, defaults={"kind": "state"})
        programme.funders.add(funder)
    for opens_on, closes_on in windows:
        Window.objects.create(programme=programme, opens_on=opens_on, closes_on=closes_on)
    programme.use_cases.set(use_cases)
    return programme


def make_named_list(slug="action-coeur-de-ville", codes=("18197",)):
    named, _ = NamedList.objects.update_or_create(
        slug=slug, defaults={"name": "Action Cœur de Ville", "codes": list(codes)}
    )
    return named
