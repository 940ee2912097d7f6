"""The link to share an experience feedback, shown to members of a collectivité only."""

from django import template

from territoria.catalogue.enums import Moderation
from territoria.territories.models import user_roles

register = template.Library()


@register.inclusion_tag("catalogue/feedback_link.html", takes_context=True)
def feedback_share_link(context, use_case=None, solution=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    member = bool(user is not None and user_roles(user))
    published = solution is None or solution.status == Moderation.APPROVED
    return {"show": member and published, "use_case": use_case, "solution": solution}
