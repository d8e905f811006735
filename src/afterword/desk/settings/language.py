"""The desk's language: each writer chooses their own, apart from the site's.

Public pages keep the site's language (``AFTERWORD_LANGUAGE``) whatever a
writer picks here; see ``core.language``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from afterword.accounts.actions import SetDeskLanguage
from afterword.core.language import writer_language
from afterword.desk.access import desk_view


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


class DeskLanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the desk"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language is named in itself, so a writer who cannot read the
        # current one still finds their own.
        site = gettext("Same as the site (%(language)s)") % {
            "language": language_name(settings.LANGUAGE_CODE)
        }
        self.fields["language"].choices = [("", site), *settings.LANGUAGES]
        self.fields["language"].help_text = _(
            "Only your desk and the admin change; readers always see the site "
            "in its own language."
        )


@desk_view()
def language(request):
    user = request.user
    form = DeskLanguageForm(
        request.POST or None, initial={"language": user.desk_language}
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["language"]
        try:
            SetDeskLanguage(user, chosen, user=user).run()
        except ValidationError as error:
            form.add_error("language", error)
        else:
            # Said in the language just chosen: the page it shows on will be.
            with translation.override(writer_language(user)):
                messages.success(
                    request,
                    gettext("The desk now speaks %(language)s.")
                    % {"language": language_name(writer_language(user))},
                )
            return redirect("desk:language")
    return TemplateResponse(
        request,
        "desk/settings/language.html",
        {"form": form, "nav_current": "settings"},
        status=400 if form.errors else 200,
    )
