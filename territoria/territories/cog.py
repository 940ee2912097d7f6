"""Import of the official geographic code (INSEE COG) from the shipped extract.

`read_extract` checks and parses the file, `validate` turns it into rows keyed by code
(or raises CogDataError with a French message), `import_territories` writes them in one
transaction with bulk upserts and returns what changed. territoria/data/cog/README.md
describes the file.
"""

import gzip
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from territoria.territories.enums import EpciKind, Zone
from territoria.territories.models import (
    Commune,
    Departement,
    Epci,
    FormerCode,
    Region,
    SearchToken,
)
from territoria.territories.normalize import fold, index_entries

FORMAT_VERSION = 1
BATCH = 2000
MAX_NAME_LENGTH = 100  # the longest name of the COG has 59 characters; columns hold 100+
MAX_POPULATION = 2_000_000_000
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3}|\d{2}[0-9AB]\d{2})$")
_SIREN = re.compile(r"^\d{9}$")
_POSTAL = re.compile(r"^\d{5}$")


class CogDataError(Exception):
    """The reference file cannot be imported; the message is for people, in French."""


def default_extract_path() -> Path:
    return Path(settings.TERRITORIA_DATA_DIR) / "cog" / "cog.json.gz"


def read_extract(path: Path) -> dict:
    """The parsed extract. A NAME.sha256 file beside it must match the file's digest."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CogDataError(
            _("Impossible de lire le fichier %(path)s : %(error)s.")
            % {"path": path, "error": error.strerror or error}
        ) from error
    checksum_file = path.with_name(path.name + ".sha256")
    if checksum_file.exists():
        expected = (checksum_file.read_text().split() or [""])[0].lower()
        if hashlib.sha256(data).hexdigest() != expected:
            raise CogDataError(
                _(
                    "Le fichier %(path)s est corrompu : son empreinte SHA-256 ne correspond "
                    "pas à celle de %(checksum)s. Réinstallez-le ou reconstruisez-le."
                )
                % {"path": path, "checksum": checksum_file.name}
            )
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise CogDataError(
                _("Le fichier %(path)s n'est pas une archive gzip valide.") % {"path": path}
            ) from error
    try:
        parsed = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CogDataError(
            _("Le fichier %(path)s n'est pas du texte UTF-8.") % {"path": path}
        ) from error
    except json.JSONDecodeError as error:
        raise CogDataError(
            _("Le fichier %(path)s n'est pas un JSON valide (ligne %(line)d, colonne %(col)d).")
            % {"path": path, "line": error.lineno, "col": error.colno}
        ) from error
    if not isinstance(parsed, dict):
        raise CogDataError(_("Le fichier %(path)s ne contient pas un objet JSON.") % {"path": path})
    return parsed


@dataclass
class CogRows:
    """Validated rows, keyed by primary key, with the values the models store."""

    regions: dict[str, dict] = field(default_factory=dict)
    departements: dict[str, dict] = field(default_factory=dict)
    epcis: dict[str, dict] = field(default_factory=dict)
    communes: dict[str, dict] = field(default_factory=dict)
    former_codes: dict[str, dict] = field(default_factory=dict)
    source: dict = field(default_factory=dict)


def _entries(data: dict, key: str, label: str) -> list[dict]:
    entries = data.get(key)
    if not isinstance(entries, list) or not entries:
        raise CogDataError(
            _("La liste « %(key)s » (%(label)s) est absente ou vide.")
            % {
                "key": key,
                "label": label,
            }
        )
    return entries


def _value(entry, key: str, kind: type, where: str, pattern=None, choices=None):
    if not isinstance(entry, dict):
        raise CogDataError(_("%(where)s : l'entrée n'est pas un objet JSON.") % {"where": where})
    if key not in entry:
        raise CogDataError(
            _("%(where)s : le champ « %(key)s » est absent.")
            % {
                "where": where,
                "key": key,
            }
        )
    value = entry[key]
    valid = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if valid and kind is str and pattern is not None:
        valid = bool(pattern.match(value))
    if valid and kind is str and pattern is None and choices is None:
        valid = bool(value.strip()) and len(value) <= MAX_NAME_LENGTH
    if valid and kind is int:
        valid = 0 <= value <= MAX_POPULATION
    if valid and choices is not None:
        valid = value in choices
    if not valid:
        raise CogDataError(
            _("%(where)s : la valeur %(value)s du champ « %(key)s » est invalide.")
            % {
                "where": where,
                "key": key,
                "value": json.dumps(value, ensure_ascii=False)[:60],
            }
        )
    return value


def _unique(rows: dict, code: str, where: str) -> None:
    if code in rows:
        raise CogDataError(
            _("%(where)s : le code %(code)s apparaît deux fois.")
            % {
                "where": where,
                "code": code,
            }
        )


def validate(data: dict) -> CogRows:
    """Check every entry and every reference between entries; nothing is written."""
    if data.get("format") != FORMAT_VERSION:
        raise CogDataError(
            _("Format de fichier inconnu (%(found)s) : ce programme lit le format %(expected)s.")
            % {"found": data.get("format"), "expected": FORMAT_VERSION}
        )
    rows = CogRows(source=data.get("source") if isinstance(data.get("source"), dict) else {})
    zones = set(Zone.values)

    for index, entry in enumerate(_entries(data, "regions", _("régions")), 1):
        where = _("région n° %(index)d") % {"index": index}
        code = _value(entry, "code", str, where, pattern=re.compile(r"^\d{2,3}$"))
        _unique(rows.regions, code, where)
        rows.regions[code] = {
            "name": _value(entry, "name", str, where),
            "zone": _value(entry, "zone", str, where, choices=zones),
        }

    for index, entry in enumerate(_entries(data, "departements", _("départements")), 1):
        where = _("département n° %(index)d") % {"index": index}
        code = _value(entry, "code", str, where, pattern=re.compile(r"^(\d{2,3}|2[AB])$"))
        _unique(rows.departements, code, where)
        region = _value(entry, "region", str, where, choices=rows.regions)
        rows.departements[code] = {
            "name": _value(entry, "name", str, where),
            "region_id": region,
            "zone": _value(entry, "zone", str, where, choices=zones),
        }

    for index, entry in enumerate(_entries(data, "communes", _("communes")), 1):
        where = _("commune n° %(index)d") % {"index": index}
        code = _value(entry, "code", str, where, pattern=_INSEE)
        where = _("commune %(code)s") % {"code": code}
        _unique(rows.communes, code, where)
        departement = _value(entry, "departement", str, where)
        if departement not in rows.departements:
            raise CogDataError(
                _("%(where)s : département inconnu « %(dep)s ».")
                % {
                    "where": where,
                    "dep": departement,
                }
            )
        siren = _value(entry, "siren", str, where, pattern=re.compile(r"^(\d{9})?$"))
        postal_codes = _value(entry, "postal_codes", list, where)
        if not all(isinstance(p, str) and _POSTAL.match(p) for p in postal_codes):
            raise CogDataError(_("%(where)s : codes postaux invalides.") % {"where": where})
        name = _value(entry, "name", str, where)
        rows.communes[code] = {
            "name": name,
            "population": _value(entry, "population", int, where),
            "postal_codes": postal_codes,
            "siren": siren,
            "departement_id": departement,
            "region_id": _value(entry, "region", str, where, choices=rows.regions),
            "epci_id": None,
            "search_text": fold(name),
        }

    for index, entry in enumerate(_entries(data, "epci", _("EPCI")), 1):
        where = _("EPCI n° %(index)d") % {"index": index}
        siren = _value(entry, "siren", str, where, pattern=_SIREN)
        where = _("EPCI %(siren)s") % {"siren": siren}
        _unique(rows.epcis, siren, where)
        name = _value(entry, "name", str, where)
        rows.epcis[siren] = {
            "name": name,
            "kind": _value(entry, "kind", str, where, choices=set(EpciKind.values)),
            "population": _value(entry, "population", int, where),
            "search_text": fold(name),
        }
        for member in _value(entry, "members", list, where):
            commune = rows.communes.get(member) if isinstance(member, str) else None
            if commune is None:
                raise CogDataError(
                    _("%(where)s : commune membre inconnue « %(code)s ».")
                    % {
                        "where": where,
                        "code": member,
                    }
                )
            if commune["epci_id"] is not None:
                raise CogDataError(
                    _("%(where)s : la commune %(code)s est déjà membre de l'EPCI %(other)s.")
                    % {"where": where, "code": member, "other": commune["epci_id"]}
                )
            commune["epci_id"] = siren

    for index, entry in enumerate(data.get("former_codes") or [], 1):
        where = _("ancien code n° %(index)d") % {"index": index}
        code = _value(entry, "code", str, where, pattern=_INSEE)
        where = _("ancien code %(code)s") % {"code": code}
        _unique(rows.former_codes, code, where)
        if code in rows.communes:
            raise CogDataError(
                _("%(where)s : c'est le code d'une commune actuelle.")
                % {
                    "where": where,
                }
            )
        commune = _value(entry, "commune", str, where)
        if commune not in rows.communes:
            raise CogDataError(
                _("%(where)s : commune actuelle inconnue « %(code)s ».")
                % {
                    "where": where,
                    "code": commune,
                }
            )
        name = entry.get("name", "") if isinstance(entry, dict) else ""
        rows.former_codes[code] = {  # the name is informative: kept when valid, never refused
            "name": name[:MAX_NAME_LENGTH] if isinstance(name, str) else "",
            "commune_id": commune,
        }
    return rows


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    gone: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def _upsert(model, rows: dict[str, dict], progress) -> Outcome:
    """Insert or update the rows that differ from the database and count them; list the
    stored rows gone from the file."""
    pk = model._meta.pk.attname
    outcome = Outcome()
    stored = {}
    if rows:
        columns = list(next(iter(rows.values())).keys())
        names = [model._meta.get_field(c.removesuffix("_id")).name for c in columns]
        stored = {row[0]: row[1:] for row in model.objects.values_list(pk, *columns).iterator()}
        changed = []
        for code, values in rows.items():
            current = stored.get(code)
            if current is None:
                outcome.created += 1
            elif current != tuple(values[c] for c in columns):
                outcome.updated += 1
            else:
                outcome.unchanged += 1
                continue
            changed.append(model(**{pk: code, **values}))
        for start in range(0, len(changed), BATCH):
            model.objects.bulk_create(
                changed[start : start + BATCH],
                update_conflicts=True,
                unique_fields=[pk],
                update_fields=names,
            )
    else:
        stored = dict.fromkeys(model.objects.values_list(pk, flat=True))
    outcome.gone = sorted(set(stored) - set(rows))
    progress(len(rows))
    return outcome


def _delete_gone(model, outcome: Outcome) -> None:
    """Delete the rows gone from the file, except those something still points at
    (a registered collectivité, a module's data): those are kept for an operator."""
    for start in range(0, len(outcome.gone), BATCH):
        codes = outcome.gone[start : start + BATCH]
        try:
            with transaction.atomic():
                model.objects.filter(pk__in=codes).delete()
            outcome.deleted += len(codes)
        except (ProtectedError, RestrictedError):
            for code in codes:
                try:
                    with transaction.atomic():
                        model.objects.filter(pk=code).delete()
                    outcome.deleted += 1
                except (ProtectedError, RestrictedError):
                    outcome.kept.append(code)


TOKEN_COLUMNS = ["token", "commune_id", "epci_id", "population", "name", "words"]


def token_rows(rows: CogRows, progress=lambda n: None):
    """The search index as tuples in TOKEN_COLUMNS order (SearchTokenManager.build makes
    the same rows for one territory saved through the ORM)."""
    territories = [
        (code, None, row, (row["postal_codes"], row["departement_id"]))
        for code, row in rows.communes.items()
    ] + [(None, siren, row, ()) for siren, row in rows.epcis.items()]
    for commune, epci, row, extra in territories:
        tokens, words = index_entries(row["name"], *extra)
        for token in tokens:
            yield (token[:60], commune, epci, row["population"], row["search_text"], words)
        progress(1)


def rebuild_search_index(rows: CogRows, progress=lambda n: None) -> int:
    """Replace the whole search index; it is derived data, cheaper rebuilt than diffed.
    Plain multi-row INSERTs: about 100,000 rows, where model instances cost seconds."""
    SearchToken.objects.all().delete()
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in TOKEN_COLUMNS)
    row_marks = "(" + ", ".join(["%s"] * len(TOKEN_COLUMNS)) + ")"
    per_statement = 150  # 900 parameters: under every SQLite build's limit
    written = 0
    with connection.cursor() as cursor:
        batch: list[tuple] = []
        for row in token_rows(rows, progress):
            batch.append(row)
            if len(batch) == per_statement:
                written += _insert(cursor, table, columns, row_marks, batch)
                batch = []
        if batch:
            written += _insert(cursor, table, columns, row_marks, batch)
    return written


def _insert(cursor, table, columns, row_marks, batch) -> int:
    values = ", ".join([row_marks] * len(batch))
    params = [value for row in batch for value in row]
    cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)  # noqa: S608
    return len(batch)


def total_steps(rows: CogRows) -> int:
    """The progress bar's length: the file's rows, then the territories indexed."""
    file_rows = (
        len(rows.regions)
        + len(rows.departements)
        + len(rows.epcis)
        + len(rows.communes)
        + len(rows.former_codes)
    )
    return file_rows + len(rows.communes) + len(rows.epcis)


def import_territories(rows: CogRows, progress=lambda n: None) -> dict[str, Outcome]:
    """Write validated rows in one transaction; return an Outcome per table."""
    tables = [
        ("regions", Region, rows.regions),
        ("departements", Departement, rows.departements),
        ("epcis", Epci, rows.epcis),
        ("communes", Commune, rows.communes),
        ("former_codes", FormerCode, rows.former_codes),
    ]
    with transaction.atomic():
        outcomes = {name: _upsert(model, data, progress) for name, model, data in tables}
        # Deletions last and children first, once every row points at its new parent.
        for name, model, _data in reversed(tables):
            _delete_gone(model, outcomes[name])
        if (
            outcomes["communes"].changed
            or outcomes["epcis"].changed
            or not SearchToken.objects.exists()
        ):
            rebuild_search_index(rows, progress)
        else:
            progress(len(rows.communes) + len(rows.epcis))
        if any(outcome.changed for outcome in outcomes.values()):
            _analyze([model for _name, model, _data in tables] + [SearchToken])
    return outcomes


def _analyze(models) -> None:
    """Fresh planner statistics after a bulk load (same statement on SQLite and PostgreSQL):
    without them PostgreSQL guesses one row per prefix and skips the covering index."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
