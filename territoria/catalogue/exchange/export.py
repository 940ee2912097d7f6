"""Export: the catalogue as JSON values, then as one JSON document or CSV files."""

import datetime
import decimal
import io
import json
import zipfile
from pathlib import Path

from django.utils.text import slugify

from territoria import tabular
from territoria.catalogue.exchange.columns import (
    FORMAT,
    LIST_SEPARATOR,
    TABLES,
    VERSION,
    ZIP_DATE,
    Column,
)
from territoria.catalogue.models import Feedback, Figure, Provider, Solution, Tag, UseCase

# ------------------------------------------------------------------------- export


def _dump(column: Column, value):
    """A model value as a JSON value."""
    if value is None:
        return None
    if column.kind == "decimal":
        return format(value, "f")
    if column.kind == "date":
        return value.isoformat()
    if column.kind == "datetime":
        return value.astimezone(datetime.UTC).isoformat()
    return value


def _provider_refs(providers) -> dict[int, str]:
    refs, taken = {}, set()
    for provider in providers:
        base = provider.siren or slugify(provider.name) or "fournisseur"
        ref, number = base, 1
        while ref in taken:
            number += 1
            ref = f"{base}-{number}"
        taken.add(ref)
        refs[provider.pk] = ref
    return refs


def _row(table: str, obj, relations: dict) -> dict:
    row = {}
    for column in TABLES[table]:
        value = relations[column.name] if column.name in relations else getattr(obj, column.name)
        row[column.name] = _dump(column, value)
    return row


def export_data() -> dict[str, list[dict]]:
    """The whole catalogue as {table: [row, …]} of JSON values, in a stable order."""
    providers = list(Provider.objects.select_related("region").order_by("name", "pk"))
    refs = _provider_refs(providers)
    data = {
        "tags": [_row("tags", tag, {}) for tag in Tag.objects.order_by("slug")],
        "use_cases": [
            _row("use_cases", use_case, {
                "prerequisites": sorted(tag.slug for tag in use_case.prerequisites.all()),
            })
            for use_case in UseCase.objects.prefetch_related("prerequisites").order_by("slug")
        ],
        "providers": [
            _row("providers", provider, {"ref": refs[provider.pk], "region": provider.region_id})
            for provider in providers
        ],
        "solutions": [
            _row("solutions", solution, {
                "provider": refs.get(solution.provider_id),
                "use_cases": sorted(use_case.slug for use_case in solution.use_cases.all()),
                "standards": sorted(tag.slug for tag in solution.standards.all()),
                "references": sorted(commune.pk for commune in solution.references.all()),
            })
            for solution in Solution.objects.prefetch_related(
                "use_cases", "standards", "references"
            ).order_by("slug")
        ],
        "figures": [
            _row("figures", figure, {
                "use_case": figure.use_case.slug if figure.use_case_id else None,
                "solution": figure.solution.slug if figure.solution_id else None,
            })
            for figure in [
                *Figure.objects.filter(use_case__isnull=False).select_related("use_case")
                .order_by("use_case__slug", "pk"),
                *Figure.objects.filter(solution__isnull=False).select_related("solution")
                .order_by("solution__slug", "pk"),
            ]
        ],
        "feedback": [
            _row("feedback", item, {
                "use_case": item.use_case.slug,
                "solution": item.solution.slug if item.solution_id else None,
                "commune": item.commune_id,
                "collectivite": item.collectivite.slug if item.collectivite_id else None,
            })
            for item in Feedback.objects.select_related(
                "use_case", "solution", "collectivite"
            ).order_by("use_case__slug", "commune_id", "title", "pk")
        ],
    }  # fmt: skip
    return data


def to_json(data: dict[str, list[dict]]) -> bytes:
    """One document, one row per line (readable diffs, line numbers in import errors)."""
    parts = ["{", f'  "format": "{FORMAT}",', f'  "version": {VERSION},']
    for index, table in enumerate(TABLES):
        rows = ",\n".join("    " + json.dumps(row, ensure_ascii=False) for row in data[table])
        comma = "," if index < len(TABLES) - 1 else ""
        parts.append(f'  "{table}": [\n{rows}\n  ]{comma}' if rows else f'  "{table}": []{comma}')
    parts.append("}")
    return ("\n".join(parts) + "\n").encode()


def _csv_cell(column: Column, value):
    if value is None:
        return ""
    if column.kind == "bool":
        return "true" if value else "false"
    if column.kind == "list":
        return LIST_SEPARATOR.join(value)
    if isinstance(value, int | float | decimal.Decimal):
        return value  # a number, which the writer never escapes
    return str(value)


def to_csv(data: dict[str, list[dict]]) -> dict[str, bytes]:
    """{file name: bytes}, one CSV file per table, header first."""
    files = {}
    for table, columns in TABLES.items():
        buffer = io.StringIO()
        writer = tabular.Writer(buffer)
        writer.writerow([column.name for column in columns])
        for row in data[table]:
            writer.writerow([_csv_cell(column, row[column.name]) for column in columns])
        files[f"{table}.csv"] = buffer.getvalue().encode()
    return files


def export_catalogue(path: Path, fmt: str) -> None:
    """Write the catalogue to `path`: a JSON file, or CSV files in a folder or a .zip."""
    data = export_data()
    path = Path(path)
    if fmt == "json":
        path.write_bytes(to_json(data))
        return
    files = to_csv(data)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.external_attr = 0o644 << 16
                archive.writestr(info, content, zipfile.ZIP_DEFLATED)
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (path / name).write_bytes(content)
