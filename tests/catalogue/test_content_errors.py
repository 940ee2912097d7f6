"""A malformed catalogue content is rejected whole, with French messages naming the file,
the item and the field, and nothing is written."""

import json

from django.core.management import CommandError, call_command

import pytest

from territoria.catalogue import content
from territoria.catalogue.models import Feedback, Figure, Solution, Tag, UseCase
from tests.factories import make_commune

pytestmark = pytest.mark.django_db

SOURCE = {
    "kind": "measured",
    "source_title": "Localtis, 19 déc. 2018",
    "source_url": "https://banquedesterritoires.fr/la-juxtaposition-des-smart-services-fait-elle-la-smart-city",
}
FIGURE = {"metric": "saving", "label": "Économie", "value_min": 35, "value_max": 35,
          "unit": "percent", "basis": "des factures d'eau", **SOURCE}  # fmt: skip


def _write(directory, **overrides) -> None:
    files = {
        content.TAGS: [{"slug": "lorawan-network", "kind": "prerequisite", "name": "Réseau"}],
        content.USE_CASES: [
            {
                "slug": "capteurs-fuites-eau",
                "title": "Détection des fuites",
                "axis": "networks",
                "summary": "Résumé.",
                "problem": "Problème.",
                "how_it_works": "Fonctionnement.",
                "maturity": "proven",
                "prerequisites": ["lorawan-network"],
                "figures": [FIGURE],
            }
        ],  # fmt: skip
        content.SOLUTIONS: [],
        content.FEEDBACK: [
            {
                "use_case": "capteurs-fuites-eau",
                "insee": "18197",
                "title": "Retour",
                "source_title": SOURCE["source_title"],
                "evidence_url": SOURCE["source_url"],
            }
        ],  # fmt: skip
    }
    files |= overrides
    for name, rows in files.items():
        (directory / name).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def _with_figure(**changes):
    use_case = {
        "slug": "capteurs-fuites-eau", "title": "Détection des fuites", "axis": "networks",
        "summary": "Résumé.", "problem": "Problème.", "how_it_works": "Fonctionnement.",
        "maturity": "proven", "figures": [{**FIGURE, **changes}],
    }  # fmt: skip
    for key in [k for k, v in changes.items() if v is None]:
        del use_case["figures"][0][key]
    return {content.USE_CASES: [use_case]}


def _nothing_written() -> bool:
    models = (Tag, UseCase, Figure, Solution, Feedback)
    return all(not model.objects.exists() for model in models)


@pytest.fixture
def saint_amand():
    return make_commune("18197", "Saint-Amand-Montrond", population=9_899)


def test_valid_content_loads(tmp_path, saint_amand):
    """The minimal valid content loads, the feedback taking the commune's population."""
    _write(tmp_path)
    report = content.load(tmp_path)
    assert report.counts["feedback"].created == 1
    assert Feedback.objects.get().population == 9_899


@pytest.mark.parametrize(
    ("overrides", "item", "field", "message"),
    [
        pytest.param(
            _with_figure(value_min=99, value_max=10), "capteurs-fuites-eau",
            "figures[1].value_max",
            "la valeur haute (10.00) est inférieure à la valeur basse (99.00).",
            id="min_above_max_case",
        ),
        pytest.param(
            _with_figure(unit="euros"), "capteurs-fuites-eau", "figures[1].unit",
            "valeur inconnue « euros » (attendu : eur, eur_per_year, percent, years, "
            "kwh_per_year, m3_per_year, count).",
            id="unknown_unit_case",
        ),
        pytest.param(
            _with_figure(source_url=None), "capteurs-fuites-eau", "figures[1].source_url",
            "un chiffre qui n'est pas une hypothèse doit citer sa source (titre et adresse).",
            id="missing_source_case",
        ),
        pytest.param(
            _with_figure(kind="hypothesis", source_url=None, source_title=None),
            "capteurs-fuites-eau", "figures[1].note",
            "une hypothèse doit expliquer d'où vient son ordre de grandeur.",
            id="hypothesis_without_note_case",
        ),
        pytest.param(
            {content.FEEDBACK: [{
                "use_case": "capteurs-fuites-eau", "insee": "99999", "title": "Retour",
                "source_title": "Localtis", "evidence_url": SOURCE["source_url"],
            }]},  # fmt: skip
            "Retour", "insee",
            "code INSEE inconnu « 99999 » (territoires importés ? territoria import-territories).",
            id="unknown_insee_case",
        ),
        pytest.param(
            {content.SOLUTIONS: [{
                "slug": "outil", "name": "Outil", "summary": "Résumé.", "maturity": "proven",
                "licence_kind": "open_source", "hosting": "on_premise",
                "use_cases": ["inconnu"],
            }]},  # fmt: skip
            "outil", "use_cases", "cas d'usage inconnu(e) « inconnu ».",
            id="unknown_use_case_case",
        ),
    ],
)  # fmt: skip
def test_malformed_content_is_rejected_whole(
    tmp_path, saint_amand, overrides, item, field, message
):
    """One bad item rejects the whole load with a French message; nothing is written."""
    _write(tmp_path, **overrides)
    with pytest.raises(content.ContentError) as caught:
        content.load(tmp_path)
    problems = caught.value.problems
    assert [(p.item, p.field, p.message) for p in problems] == [(item, field, message)]
    assert problems[0].as_dict()["message"].startswith(f"{problems[0].file}, élément « {item} »")
    assert _nothing_written()


def test_command_reports_every_error_in_french_and_writes_nothing(tmp_path, saint_amand):
    """The command lists each problem with its file, item and field, then fails."""
    _write(tmp_path, **_with_figure(value_min=99, value_max=10, unit="euros"))
    with pytest.raises(CommandError) as caught:
        call_command("load_catalogue", "--dir", str(tmp_path))
    assert str(caught.value) == (
        "Contenu du catalogue invalide, rien n'a été modifié (erreurs : 2) :\n"
        "- use_cases.json, élément « capteurs-fuites-eau », champ « figures[1].unit » : "
        "valeur inconnue « euros » (attendu : eur, eur_per_year, percent, years, kwh_per_year, "
        "m3_per_year, count).\n"
        "- use_cases.json, élément « capteurs-fuites-eau », champ « figures[1].value_max » : "
        "la valeur haute (10.00) est inférieure à la valeur basse (99.00)."
    )
    assert _nothing_written()


def test_unreadable_or_missing_files_are_reported(tmp_path):
    """Broken JSON and a missing file are both named; nothing is written."""
    _write(tmp_path)
    (tmp_path / content.TAGS).write_text("[{", encoding="utf-8")
    (tmp_path / content.FEEDBACK).unlink()
    with pytest.raises(content.ContentError) as caught:
        content.load(tmp_path)
    assert [(p.file, p.code) for p in caught.value.problems] == [
        (content.TAGS, "invalid_json"),
        (content.FEEDBACK, "missing_file"),
    ]
    assert _nothing_written()


def test_unknown_fields_and_duplicates_are_rejected(tmp_path, saint_amand):
    """A misspelt field or a slug given twice is an error, not silently ignored."""
    tags = [
        {"slug": "fibre", "kind": "prerequisite", "name": "Fibre", "nom": "x"},
        {"slug": "fibre", "kind": "prerequisite", "name": "Fibre"},
    ]
    _write(tmp_path, **{content.TAGS: tags, content.FEEDBACK: []})
    with pytest.raises(content.ContentError) as caught:
        content.load(tmp_path)
    assert [(p.item, p.field, p.code) for p in caught.value.problems] == [
        ("fibre", "nom", "unknown_field"),
        ("fibre", "slug", "duplicate"),
        ("capteurs-fuites-eau", "prerequisites", "unknown_reference"),
    ]
    assert _nothing_written()
