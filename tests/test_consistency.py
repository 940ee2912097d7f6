"""Checks of the codebase itself: migrations, permissions, translations."""

import re
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.template.base import Lexer, TokenType

import pytest

import territoria

PACKAGE = Path(territoria.__file__).parent
OUR_APPS = [app for app in apps.get_app_configs() if app.name.startswith("territoria.")]
VISIBLE_ATTRIBUTES = re.compile(r'\b(?:alt|title|aria-label|placeholder)="([^"]*[^\W\d_][^"]*)"')
TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&[a-z#0-9]+;")
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S)
SKIP_BLOCKS = {"blocktranslate": "endblocktranslate", "comment": "endcomment"}


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    """Every model change has its migration."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.parametrize(
    "model",
    [model for app in OUR_APPS for model in app.get_models()],
    ids=lambda model: model._meta.label,
)
def test_every_model_answers_get_abilities(model):
    """Every model of ours tells what a person may do with one of its objects."""
    assert callable(getattr(model, "get_abilities", None))


def _untranslated(source: str) -> list[str]:
    """Words outside translation tags, with template tags and variables blanked out."""
    parts, closing = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0] if token.contents else ""
            if closing is None and word in SKIP_BLOCKS:
                closing = SKIP_BLOCKS[word]
            elif word == closing:
                closing = None
            parts.append(" ")
        elif token.token_type == TokenType.TEXT and closing is None:
            parts.append(token.contents)
        else:
            parts.append(" ")
    page = SCRIPT_OR_STYLE.sub(" ", "".join(parts))
    found = VISIBLE_ATTRIBUTES.findall(page)
    visible = ENTITY.sub(" ", TAG.sub(" ", page))
    return found + re.findall(r"[^\W\d_]{2,}", visible)


TEMPLATES = sorted(
    path
    for path in PACKAGE.rglob("templates/**/*.html")
    if "vendor" not in path.parts and "admin" not in path.parts
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_strings_are_translatable(template):
    """Every word a person reads in a template goes through {% translate %}."""
    assert _untranslated(template.read_text()) == []


def test_the_checker_catches_untranslated_text():
    """The template checker flags bare text and visible attributes, not translated ones."""
    source = (
        '{% load i18n %}<p>Bonjour</p><img alt="Logo"><p>{% translate "Salut" %}</p>'
        "{% blocktranslate %}Texte {{ x }}{% endblocktranslate %}<p>{{ value }}</p>"
    )
    assert _untranslated(source) == ["Logo", "Bonjour"]
    assert (
        _untranslated('<a {% if x %}aria-current="page"{% endif %} title="{% translate "T" %}">')
        == []
    )


def test_every_email_is_rendered_as_plain_text():
    """Emails go through territoria.mail.render_email (no HTML escaping): a text template
    rendered by the HTML engine would write « L&#x27;eau »."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "render_to_string(" in line and ".txt" in line
    ]
    assert offenders == []


HAND_PLURAL = re.compile(r"[a-zéèêàû]\(s\)")
# An official form's own wording, not a count.
PLURAL_WORDING = {"Prénom(s)"}


def test_no_hand_written_plural_in_what_people_read():
    """« 2 projet(s) » reads as unfinished: plurals go through ngettext or
    {% blocktranslate count %}, or the sentence avoids the count."""
    offenders = []
    for path in list(PACKAGE.rglob("*.html")) + list(PACKAGE.rglob("*.txt")):
        if "vendor" in path.parts or "data" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if HAND_PLURAL.search(line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}")
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            strings = re.findall(r"\"[^\"]*\"|'[^']*'", line)
            strings = [text for text in strings if text.strip("\"'") not in PLURAL_WORDING]
            if any(HAND_PLURAL.search(text) for text in strings):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert offenders == []
