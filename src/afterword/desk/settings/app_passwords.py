"""Your account → Application passwords: what tools use instead of your password.

Every writer has this screen for their own account (linked from the desk's
header). Making one shows the password on the next page, once; only its
hash is kept. Revoking is immediate. The writes are
``credentials.actions.CreateAppPassword`` and ``RevokeAppPassword``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from afterword.core.admin import add_form_errors
from afterword.credentials import scopes as scope_names
from afterword.credentials.actions import CreateAppPassword, RevokeAppPassword
from afterword.credentials.models import AppPassword
from afterword.desk.access import desk_view


class AppPasswordForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What it is for, such as “iA Writer on my laptop”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("It may"),
        widget=forms.CheckboxSelectMultiple,
        initial=sorted(scope_names.ALL),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (scope, scope_names.describe(scope)) for scope in _SCOPE_ORDER
        ]
        self.fields["name"].widget.attrs["autocomplete"] = "off"


_SCOPE_ORDER = (
    scope_names.READ,
    scope_names.DRAFT,
    scope_names.PUBLISH,
    scope_names.MODERATE,
    scope_names.CATALOG,
)


@desk_view()
def screen(request):
    user = request.user
    form = AppPasswordForm()
    created = None
    if request.method == "POST" and request.POST.get("intent") == "revoke":
        row = get_object_or_404(AppPassword, pk=_row_id(request), user=user)
        RevokeAppPassword(row, user=user).run()
        messages.success(
            request,
            _("“%(name)s” is revoked; it no longer works.") % {"name": row.name},
        )
        return redirect("desk:app_passwords")
    if request.method == "POST":
        form = AppPasswordForm(request.POST)
        if form.is_valid():
            try:
                row, plain = CreateAppPassword(
                    user,
                    form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    user=user,
                ).run()
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                created = {"row": row, "password": plain}
                form = AppPasswordForm()
    response = TemplateResponse(
        request,
        "desk/settings/app_passwords.html",
        {
            "form": form,
            "created": created,
            "passwords": AppPassword.objects.filter(user=user),
            "username": user.get_username(),
            "nav_current": "",
        },
        status=400 if form.errors else 200,
    )
    # The page that shows a new password once must not be kept anywhere.
    response["Cache-Control"] = "no-store"
    return response


def _row_id(request) -> int:
    value = request.POST.get("id", "")
    return int(value) if value.isdigit() and len(value) < 18 else 0
