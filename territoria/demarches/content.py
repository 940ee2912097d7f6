"""The shipped library of procedure templates (territoria/data/demarches/)."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from territoria.demarches import actions, engine
from territoria.demarches.models import FormTemplate

LIBRARY = Path(settings.BASE_DIR) / "data" / "demarches" / "library.json"
DESCRIBED = ("title", "description", "legal_basis", "legal_link", "licence", "sensitive_note")


def read(path: Path = LIBRARY) -> list[dict]:
    """The templates of the file, each checked (DefinitionError names the template)."""
    rows = json.loads(path.read_text(encoding="utf-8"))["templates"]
    for row in rows:
        try:
            engine.check_definition(row["fields"])
        except engine.DefinitionError as error:
            raise engine.DefinitionError([f"{row['slug']} : {p}" for p in error.problems]) from None
    return rows


@transaction.atomic
def load(owners: dict | None = None, path: Path = LIBRARY) -> list[FormTemplate]:
    """Create or update the shipped templates (owned by the instance's commons unless
    `owners` maps a slug to a collectivité) and publish those whose fields changed."""
    owners = owners or {}
    loaded = []
    for row in read(path):
        template, _created = FormTemplate.objects.get_or_create(
            slug=row["slug"], defaults={"title": row["title"], "fields": row["fields"]}
        )
        for key in DESCRIBED:
            setattr(template, key, row.get(key, ""))
        template.fields = row["fields"]
        template.owner = owners.get(row["slug"], template.owner)
        template.save()
        latest = template.latest()
        if latest is None or latest.fields != template.fields:
            actions.publish_template(template)
            template.refresh_from_db()
        loaded.append(template)
    return loaded
