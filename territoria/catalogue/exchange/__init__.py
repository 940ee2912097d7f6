"""Export and import of the catalogue: one JSON document, or one CSV file per table (in a
folder or a zip). An operator's tool: published and unpublished offers alike.

The tables are tags, use_cases, providers, solutions, figures and feedback. Rows are keyed
by slugs (tags, use cases, solutions), by a `ref` for providers (the SIREN, else a slug of
the name), by INSEE codes for communes and by slugs for collectivités; nothing personal is
exported (no accounts, no feedback author). The same columns serve both formats, rows come
in a stable order, and lists are sorted, so that export → import into an empty catalogue
→ export gives identical bytes.

An import is validated whole before anything is written: every problem is reported with
its file, line and field, in French, and a document with a single problem writes nothing.
Writing is an upsert in one transaction: rows are matched by key and updated or created;
the figures of every use case and solution named in the document are replaced by the
document's figures; feedback is matched on (use case, commune, title).
"""

from pathlib import Path

from django.db import transaction

from territoria.catalogue.exchange.checks import Checker
from territoria.catalogue.exchange.columns import FORMAT, TABLES, VERSION, ImportRejected, Issue
from territoria.catalogue.exchange.export import export_catalogue, export_data, to_csv, to_json
from territoria.catalogue.exchange.reading import read_document
from territoria.catalogue.exchange.writing import write

__all__ = [
    "FORMAT",
    "TABLES",
    "VERSION",
    "ImportRejected",
    "Issue",
    "export_catalogue",
    "export_data",
    "import_catalogue",
    "read_document",
    "to_csv",
    "to_json",
]


def import_catalogue(path: Path) -> dict[str, int]:
    """Import a JSON document, a folder or a zip of CSV files; {table: rows} on success.
    Raises ImportRejected with every problem found, having written nothing."""
    tables, issues = read_document(path)
    Checker(tables, issues).run()
    if issues:
        raise ImportRejected(issues)
    with transaction.atomic():
        return write(tables)
