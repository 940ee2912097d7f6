from django import template

register = template.Library()


@register.filter
def source_for(programme, field: str):
    """The source backing one field of a programme, if it names one."""
    return programme.source_for(field)
