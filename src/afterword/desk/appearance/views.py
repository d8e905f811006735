"""Appearance: the public site's title, tagline, accent, footer and scheme."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from afterword.desk.access import desk_view
from afterword.desk.action_errors import run_for_form
from afterword.theme import colours
from afterword.theme.actions import SaveAppearance
from afterword.theme.models import SiteAppearance

from .forms import AppearanceForm


@desk_view("theme.change_siteappearance")
def appearance(request):
    current = SiteAppearance.load()
    # A copy: a refused form must not leave its values in the cached row.
    instance = SiteAppearance.objects.filter(pk=1).first() or SiteAppearance(pk=1)
    form = AppearanceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved, _result = run_for_form(
            SaveAppearance(form.instance, user=request.user), form
        )
        if saved:
            messages.success(request, _("The site's appearance is saved."))
            return redirect("desk:appearance")
    ratio = None
    if current.accent_colour:
        ratio = round(colours.contrast(current.accent_colour, colours.WHITE), 1)
    return TemplateResponse(
        request,
        "desk/appearance/appearance.html",
        {"nav_current": "appearance", "form": form, "current": current, "ratio": ratio},
    )
