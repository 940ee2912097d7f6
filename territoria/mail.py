"""Plain-text emails: how every module renders one, and the demo's backend that writes
one readable .eml file per message under var/mail/."""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.template import engines
from django.utils import translation


def render_email(template_prefix: str, context: dict) -> tuple[str, str]:
    """Subject (one line) and body from `<prefix>_subject.txt` and `<prefix>_body.txt`,
    in the site's language, without HTML escaping: « L'eau » stays « L'eau »."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    engine = engines["text"]
    with translation.override(settings.LANGUAGE_CODE):
        subject = engine.get_template(f"{template_prefix}_subject.txt").render(context)
        body = engine.get_template(f"{template_prefix}_body.txt").render(context)
    return " ".join(subject.split()), body


class OneFilePerMessageBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            path = folder / f"{stamp}-{secrets.token_hex(3)}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\n"))
        return len(email_messages)
