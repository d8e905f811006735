from django import template

from afterword.accounts.roles import role_of
from afterword.desk.navigation import entries_for

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_navigation(context, current: str = ""):
    return entries_for(context["request"].user, current)


@register.simple_tag(takes_context=True)
def desk_role(context):
    return role_of(context["request"].user)
