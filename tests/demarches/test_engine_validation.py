"""The form engine, without HTTP: definitions, answers field by field, conditions,
attachments, the export schema and the diff of versions."""

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from territoria.demarches import engine
from tests.demarches.factories import FIELDS, GOOD_SIRET, good_answers
from tests.image_files import photo


def _clean(**extra):
    return engine.clean_answers(FIELDS, good_answers(**extra), lambda code: code == "18197")


def test_good_answers_are_kept_in_plain_forms():
    """Valid answers come back normalised: ISO date, dotted number, digits-only SIRET."""
    answers, files, errors = _clean(siret="732 829 320 00074")
    assert errors == {}
    assert files == {}
    assert answers["debut"] == "2027-06-15"
    assert answers["surface"] == "12.5"
    assert answers["siret"] == GOOD_SIRET
    assert answers["professionnel"] is True
    assert answers["jours"] == ["samedi"]
    assert answers["telephone"] == "0248960000"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param(
            "siret",
            "73282932000075",
            "Ce SIRET est invalide : vérifiez les chiffres saisis.",
            id="bad_luhn_case",
        ),
        pytest.param("siret", "1234", "Un SIRET compte 14 chiffres.", id="short_siret_case"),
        pytest.param(
            "debut", "31/02/2027", "Saisissez une date au format JJ/MM/AAAA.", id="bad_date_case"
        ),
        pytest.param(
            "surface",
            "beaucoup",
            "Saisissez un nombre, par exemple 12 ou 12,5.",
            id="not_a_number_case",
        ),
        pytest.param("surface", "900", "Au plus 500.", id="above_max_case"),
        pytest.param(
            "nature",
            "piscine",
            "Choisissez parmi les réponses proposées.",
            id="unknown_choice_case",
        ),
        pytest.param(
            "jours",
            ["dimanche"],
            "Choisissez parmi les réponses proposées.",
            id="unknown_multiple_case",
        ),
        pytest.param(
            "commune",
            "99999",
            "Aucune commune ne porte le code INSEE « 99999 ».",
            id="unknown_commune_case",
        ),
        pytest.param(
            "contact",
            "pas-un-courriel",
            "Saisissez une adresse courriel valide.",
            id="bad_email_case",
        ),
        pytest.param(
            "telephone",
            "12",
            "Saisissez un numéro de téléphone, par exemple 02 48 96 00 00.",
            id="bad_phone_case",
        ),
        pytest.param(
            "nom", "x" * 201, "200 caractères au plus (vous en avez saisi 201).", id="too_long_case"
        ),
        pytest.param("nom", "  ", "Ce champ est obligatoire.", id="missing_required_case"),
        pytest.param(
            "professionnel", "peut-être", "Répondez par oui ou par non.", id="bad_yesno_case"
        ),
    ],
)
def test_a_bad_answer_gets_its_french_message(field, value, message):
    """Each refused answer names its problem in French, on its own field only."""
    answers, files, errors = _clean(**{field: value})
    assert errors == {field: message}


def test_a_condition_hides_a_required_field():
    """A required SIRET asked only of professionals is not required of a private person,
    and what they typed there is dropped."""
    answers, _files, errors = _clean(professionnel="non", siret="n'importe quoi")
    assert errors == {}
    assert "siret" not in answers


def test_a_condition_met_makes_its_field_required():
    """The same SIRET is required once the person says they are a professional."""
    _answers, _files, errors = _clean(professionnel="oui", siret="")
    assert errors == {"siret": "Ce champ est obligatoire."}


def test_an_oversized_attachment_is_refused():
    """A file over the field's byte limit is refused before it is read whole."""
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n" + b"0" * 2000)
    _answers, files, errors = _clean(plan=upload)
    assert errors == {"plan": "Le fichier dépasse 1 Ko."}
    assert files == {}


def test_an_attachment_is_recognised_by_its_content_not_its_name():
    """A PDF passes; an executable named .pdf does not."""
    good = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\nhello")
    _answers, files, errors = _clean(plan=good)
    assert errors == {}
    assert files["plan"].extension == "pdf"
    bad = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")
    _answers, files, errors = _clean(plan=bad)
    assert errors["plan"].startswith("Ce type de fichier n'est pas accepté")


def test_a_photo_attachment_is_reencoded_without_metadata():
    """A JPEG attachment goes through the shared image cleaning."""
    field = {"id": "photo", "type": "attachment", "label": "Photo", "formats": ["jpg"]}
    upload = SimpleUploadedFile("p.jpg", photo())
    _answers, files, errors = engine.clean_answers([field], {"photo": upload})
    assert errors == {}
    assert files["photo"].content.startswith(b"\xff\xd8\xff")


def test_a_broken_definition_lists_every_problem():
    """Unknown type, duplicate id, empty choices and a condition on a later field are all
    reported at once."""
    fields = [
        {"id": "a", "type": "choice", "label": "A", "choices": []},
        {"id": "a", "type": "text", "label": "A bis"},
        {"id": "b", "type": "hologram", "label": "B"},
        {"id": "c", "type": "text", "label": "C", "show_if": {"field": "d", "equals": "x"}},
    ]
    with pytest.raises(engine.DefinitionError) as raised:
        engine.check_definition(fields)
    assert len(raised.value.problems) == 4


def test_the_diff_of_two_versions_reads_added_removed_changed():
    """Upstream changes read as fields added, removed and changed (with what changed)."""
    new = [f for f in FIELDS if f["id"] != "jours"] + [
        {"id": "horaires", "type": "text", "label": "Horaires"}
    ]
    new = [dict(f, required=True) if f["id"] == "surface" else f for f in new]
    assert engine.diff(FIELDS, new) == {
        "added": ["Horaires"],
        "removed": ["Jours"],
        "changed": [("Surface", ["caractère obligatoire"])],
    }


def test_the_export_schema_has_one_column_per_answer():
    """Layout fields make no column; types follow the fields."""
    schema = engine.table_schema(FIELDS, ["submitted"])
    names = [c["name"] for c in schema["fields"]]
    assert names[:4] == engine.META_COLUMNS
    assert "identite" not in names and "aide" not in names
    types = {c["name"]: c["type"] for c in schema["fields"]}
    assert types["surface"] == "number"
    assert types["debut"] == "date"
    assert types["professionnel"] == "boolean"
