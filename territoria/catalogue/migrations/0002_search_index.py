"""Search index of the catalogue (territoria/catalogue/search.py): the text table and the
facet table, written only by search.reindex(). SQLite gets an FTS5 table that removes
diacritics; PostgreSQL a GIN-indexed tsvector column and the unaccent extension."""

from django.db import migrations

FACETS = """
CREATE TABLE catalogue_solution_facet (
    solution_id integer NOT NULL,
    facet varchar(20) NOT NULL,
    value varchar(100) NOT NULL,
    PRIMARY KEY (solution_id, facet, value)
)"""
FACETS_INDEX = (
    "CREATE INDEX catalogue_solution_facet_value ON catalogue_solution_facet "
    "(facet, value, solution_id)"
)
SQLITE = [
    FACETS + " WITHOUT ROWID",
    FACETS_INDEX,
    "CREATE VIRTUAL TABLE catalogue_solution_fts USING fts5("
    "name, summary, body, tokenize = 'unicode61 remove_diacritics 2')",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    FACETS,
    FACETS_INDEX,
    "CREATE TABLE catalogue_solution_document ("
    "solution_id integer PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX catalogue_solution_document_gin ON catalogue_solution_document "
    "USING gin (document)",
]
DROP = {
    "sqlite": ["DROP TABLE catalogue_solution_fts", "DROP TABLE catalogue_solution_facet"],
    "postgresql": [
        "DROP TABLE catalogue_solution_document",
        "DROP TABLE catalogue_solution_facet",
    ],
}


def create(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
