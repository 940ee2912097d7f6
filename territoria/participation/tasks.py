"""Background work of participation: telling an idea's author that the collectivité
answered. Tasks take ids and send nothing when the answer was withdrawn meanwhile."""

from django.core.mail import EmailMessage

from django_tasks import task

from territoria.mail import render_email


@task()
def notify_idea_answer(idea_id: int, answered_at: str) -> bool:
    """Mail the author of an idea the status and message the agents published."""
    from territoria.participation.models import Idea

    idea = Idea.objects.select_related("collectivite", "author").filter(pk=idea_id).first()
    if idea is None or idea.author is None or not idea.author.email:
        return False
    if idea.answered_at is None or idea.answered_at.isoformat() != answered_at:
        return False  # a newer answer has its own message
    subject, body = render_email("participation/emails/answer", {"idea": idea})
    EmailMessage(subject, body, to=[idea.author.email]).send()
    return True
