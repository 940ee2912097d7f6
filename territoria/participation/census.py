"""Agents import a census file: each person kept only as a salted hash of their identity,
optionally with a fresh single-use code for a printed letter."""

import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria import tabular
from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.participation import identity
from territoria.participation.budget_actions import LineErrors, _require_staff
from territoria.participation.enums import Phase
from territoria.participation.models import (
    CensusEntry,
    VoteCode,
)

# Census and codes ------------------------------------------------------------------

MAX_CENSUS_ROWS = 200_000
CENSUS_COLUMNS = {"nom", "prenom", "date_naissance"}


def _read_census(text: str | bytes):
    try:
        sheet = tabular.read(text)
    except tabular.TabularError as error:
        message = _("Ligne %(l)s : %(e)s") % {"l": error.line or 1, "e": error.message}
        raise LineErrors([message]) from error
    keys = [identity.fold(h or "").replace(" ", "_") for h in sheet.header]
    header = set(keys)
    missing = CENSUS_COLUMNS - header
    if missing:
        raise LineErrors(
            [
                _(
                    "Ligne 1 : colonnes manquantes : %(cols)s (attendu : nom ; prenom ; "
                    "date_naissance ; quartier facultatif ; adresse facultative)."
                )
                % {"cols": ", ".join(sorted(missing))}
            ]
        )
    for line, cells in sheet.rows:
        if cells:  # an empty line is skipped, as spreadsheets leave them
            yield line, {k: v.strip() for k, v in zip(keys, cells, strict=False) if k}


def import_census(campaign, actor, text: str | bytes, *, with_codes: bool = False):
    """Import a census file (text, or bytes in UTF-8 or Windows-1252) as salted hashes.
    Returns (added, already_there, letters) where letters is a CSV (the file's people
    with a fresh code each) or None."""
    _require_staff(campaign, actor)
    if campaign.phase in {Phase.RESULTS, Phase.IMPLEMENTATION}:
        raise ActionError("wrong_phase", _("Le vote est terminé."), status=409)
    errors, rows, seen = [], [], {}
    for line, row in _read_census(text):
        if line - 1 > MAX_CENSUS_ROWS:
            errors.append(
                _("Ligne %(l)s : le fichier dépasse %(n)s personnes.")
                % {"l": line, "n": MAX_CENSUS_ROWS}
            )
            break
        last, first = row.get("nom", ""), row.get("prenom", "")
        birth = identity.parse_birth(row.get("date_naissance", ""))
        if not last or not first:
            errors.append(_("Ligne %(l)s : le nom et le prénom sont obligatoires.") % {"l": line})
            continue
        if birth is None or birth > timezone.localdate() or birth.year < 1900:
            errors.append(
                _("Ligne %(l)s : date de naissance « %(v)s » illisible (attendu JJ/MM/AAAA).")
                % {"l": line, "v": row.get("date_naissance", "")}
            )
            continue
        digest = identity.identity_hash(campaign.salt, last, first, birth)
        if digest in seen:
            errors.append(
                _("Ligne %(l)s : même personne qu'à la ligne %(o)s.")
                % {"l": line, "o": seen[digest]}
            )
            continue
        seen[digest] = line
        rows.append((digest, row.get("quartier", ""), row))
    if errors:
        raise LineErrors(errors)
    if not rows:
        raise LineErrors([_("Le fichier ne contient aucune personne.")])
    letters = io.StringIO() if with_codes else None
    if letters is not None:
        writer = tabular.Writer(letters, delimiter=";")
        writer.writerow(["nom", "prenom", "adresse", "quartier", "code"])
    with transaction.atomic():
        existing = set(
            CensusEntry.objects.filter(
                campaign=campaign, identity_hash__in=[r[0] for r in rows]
            ).values_list("identity_hash", flat=True)
        )
        new = [
            CensusEntry(campaign=campaign, identity_hash=d, district=q)
            for d, q, _row in rows
            if d not in existing
        ]
        CensusEntry.objects.bulk_create(new, batch_size=2000)
        if letters is not None:
            has_code = set(
                VoteCode.objects.filter(campaign=campaign).values_list("identity_hash", flat=True)
            )
            codes = []
            for digest, district, row in rows:
                if digest in has_code:
                    continue
                code = identity.new_code()
                codes.append(
                    VoteCode(
                        campaign=campaign,
                        identity_hash=digest,
                        code_hash=identity.code_hash(campaign.salt, code),
                    )
                )
                writer.writerow(
                    [row.get("nom"), row.get("prenom"), row.get("adresse", ""), district, code]
                )
            VoteCode.objects.bulk_create(codes, batch_size=2000)
        audit.record(
            actor,
            "participation.census",
            obj=campaign,
            summary=_("%(n)s personnes ajoutées au fichier des votants") % {"n": len(new)},
        )
    return len(new), len(rows) - len(new), (letters.getvalue() if letters else None)


# Verification and ballots ----------------------------------------------------------
