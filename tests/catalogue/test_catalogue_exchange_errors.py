"""Imports with errors are rejected whole, with file, line and field, in French."""

import csv
import io
import json

from django.core.management import CommandError, call_command

import pytest

from territoria.catalogue import exchange
from territoria.catalogue.models import Figure, Solution, UseCase
from tests.catalogue.exchange_data import build_catalogue, empty_catalogue

pytestmark = pytest.mark.django_db


def _messages(path) -> list[str]:
    with pytest.raises(exchange.ImportRejected) as rejected:
        exchange.import_catalogue(path)
    return [str(issue) for issue in rejected.value.issues]


@pytest.fixture
def exported(world, tmp_path):
    """A JSON export of the sample catalogue, then an empty catalogue."""
    build_catalogue(world)
    path = tmp_path / "catalogue.json"
    exchange.export_catalogue(path, "json")
    empty_catalogue()
    return path


@pytest.fixture
def exported_csv(world, tmp_path):
    build_catalogue(world)
    folder = tmp_path / "csv"
    exchange.export_catalogue(folder, "csv")
    empty_catalogue()
    return folder


def _edit_json_row(path, table, index, **changes):
    lines = path.read_text().splitlines()
    document = json.loads(path.read_text())
    row = document[table][index]
    old = "    " + json.dumps(row, ensure_ascii=False)
    row.update(changes)
    new = "    " + json.dumps(row, ensure_ascii=False)
    number = next(i for i, line in enumerate(lines) if line.rstrip(",") == old)
    lines[number] = new + ("," if lines[number].endswith(",") else "")
    path.write_text("\n".join(lines) + "\n")
    return number + 1


def test_json_errors_name_file_line_and_field_and_nothing_is_written(exported):
    """Two bad rows: both reported with their line and field; no row is written."""
    slug_line = _edit_json_row(exported, "use_cases", 0, axis="espace")
    figure_line = _edit_json_row(exported, "figures", 0, value_min="50", value_max="10")
    assert _messages(exported) == [
        f"catalogue.json, ligne {slug_line}, champ « axis » : "
        "La valeur «\xa0'espace'\xa0» n’est pas un choix valide.",
        f"catalogue.json, ligne {figure_line}, champ « value_max » : "
        "La valeur haute doit être supérieure ou égale à la valeur basse.",
    ]
    assert (UseCase.objects.count(), Solution.objects.count(), Figure.objects.count()) == (0, 0, 0)


def test_csv_errors_give_the_csv_line(exported_csv):
    """A CSV row with an unknown commune and a bad date names its file line."""
    path = exported_csv / "feedback.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(), newline="")))
    rows[1][rows[0].index("commune")] = "99999"
    rows[1][rows[0].index("started_on")] = "01/06/2017"
    rows[2][rows[0].index("would_do_again")] = "peut-être"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue())
    assert _messages(exported_csv) == [
        "feedback.csv, ligne 2, champ « started_on » : Date attendue au format AAAA-MM-JJ.",
        "feedback.csv, ligne 3, champ « would_do_again » : Valeur attendue : true ou false.",
    ]


def test_unknown_references_are_reported(exported):
    """A solution naming an unknown use case, standard and commune is refused."""
    line = _edit_json_row(
        exported, "solutions", 0, use_cases=["inconnu"], standards=["lorawan"],
        references=["99999"], purchase_channels=["troc"],
    )  # fmt: skip
    assert _messages(exported) == [
        f"catalogue.json, ligne {line}, champ « use_cases » : Cas d'usage inconnu : inconnu.",
        f"catalogue.json, ligne {line}, champ « standards » : "
        "Norme inconnue (étiquette de type norme attendue) : lorawan.",
        f"catalogue.json, ligne {line}, champ « references » : "
        "Code INSEE de commune inconnu : 99999.",
        f"catalogue.json, ligne {line}, champ « purchase_channels » : Canal d'achat inconnu : troc",
    ]


def test_a_figure_without_source_is_refused(exported):
    """A figure that is not a hypothesis must cite its source."""
    line = _edit_json_row(exported, "figures", 0, source_title="", source_url="")
    assert _messages(exported) == [
        f"catalogue.json, ligne {line}, champ « source_url » : "
        "Un chiffre qui n'est pas une hypothèse doit citer sa source (titre et adresse).",
    ]


def test_duplicate_keys_are_refused(exported):
    """Two use cases with the same slug in one document are refused."""
    document = json.loads(exported.read_text())
    first = document["use_cases"][0]["slug"]
    _edit_json_row(exported, "use_cases", 1, slug=first)
    messages = _messages(exported)
    assert messages[0].endswith(
        f"champ « slug » : « {first} » figure déjà à la ligne 10 de catalogue.json."
    )


@pytest.mark.parametrize(
    "content,message",
    [
        (b"{ pas du json", "catalogue.json, ligne 1 : JSON invalide (colonne 3) : "
                           "Expecting property name enclosed in double quotes."),
        (b'{"format": "autre"}', "catalogue.json, champ « format » : "
                                 "Ce n'est pas un export du catalogue de Territoria."),
        (b'{"format": "territoria-catalogue", "version": 9}',
         "catalogue.json, champ « version » : Version non prise en charge (attendue : 1)."),
        (b'{"format": "territoria-catalogue", "version": 1, "chaises": []}',
         "catalogue.json, champ « chaises » : Table inconnue."),
        (b"\xff\xfe", "catalogue.json : Le fichier doit être encodé en UTF-8."),
    ],
    ids=["syntax_case", "format_case", "version_case", "table_case", "encoding_case"],
)  # fmt: skip
def test_malformed_json_documents(db, tmp_path, content, message):
    """A file that is not a catalogue export gets one clear message."""
    path = tmp_path / "catalogue.json"
    path.write_bytes(content)
    assert _messages(path) == [message]


def test_csv_unknown_and_missing_columns(db, tmp_path):
    """Unknown columns, missing required columns and unexpected files are reported."""
    (tmp_path / "tags.csv").write_text("slug,kind,couleur\r\nfibre,prerequisite,bleu\r\n")
    (tmp_path / "notes.csv").write_text("a\r\n")
    assert _messages(tmp_path) == [
        "notes.csv : Fichier inattendu : les tables sont tags.csv, use_cases.csv, "
        "providers.csv, solutions.csv, figures.csv, feedback.csv.",
        "tags.csv, ligne 1, champ « couleur » : Colonne inconnue.",
        "tags.csv, ligne 1, champ « name » : Colonne obligatoire absente.",
        "tags.csv, ligne 2, champ « name » : Ce champ est obligatoire.",
    ]


def test_missing_path(db, tmp_path):
    """A path that does not exist is reported, not a traceback."""
    assert _messages(tmp_path / "absent.json") == ["absent.json : Fichier ou dossier introuvable."]


def test_command_reports_problems_and_changes_nothing(exported):
    """The command fails with the French list of problems."""
    line = _edit_json_row(exported, "use_cases", 0, population_min="beaucoup")
    with pytest.raises(CommandError) as error:
        call_command("catalogue", "import", str(exported))
    assert str(error.value) == (
        "Import refusé, rien n'a été modifié (1 problème) :\n"
        f"catalogue.json, ligne {line}, champ « population_min » : Nombre entier positif attendu."
    )
    assert UseCase.objects.count() == 0


@pytest.mark.parametrize(
    "value", ["²", "9" * 5000, "-3", "1.5"], ids=["superscript_case", "huge_case", "negative_case",
                                                "decimal_case"],
)  # fmt: skip
def test_bad_integers_get_the_french_message(exported, value):
    """Whatever the text in an integer column, the message is the French one."""
    line = _edit_json_row(exported, "feedback", 0, population=value)
    assert _messages(exported) == [
        f"catalogue.json, ligne {line}, champ « population » : Nombre entier positif attendu."
    ]
