"""Settings → Redirects: the site's old addresses and where they lead.

One screen at ``/desk/settings/redirects/`` (administrators: the
``redirects.change_redirect`` permission): the list with a search and pages,
the form to add a redirect (or, with ``?edit=ID``, to change one), and a
delete button per row. Every write is one of ``redirects.actions``, whose
refusals (an address off the site, a loop, a live page) come back as form
errors with what was typed still in the fields.
"""

from __future__ import annotations

from urllib.parse import unquote

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from afterword.core.admin import add_form_errors
from afterword.core.counting import CappedPaginator, capped_counts
from afterword.core.numbers import ascii_number
from afterword.desk.access import desk_view
from afterword.redirects.actions import DeleteRedirect, SaveRedirect
from afterword.redirects.models import Redirect

PER_PAGE = 50
# Larger numbers are no row of ours (and would overflow a database integer).
MAX_ID = 2**62


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "target_path", "status", "note"]
        labels = {
            "old_path": gettext_lazy("Old address"),
            "target_path": gettext_lazy("New address"),
            "status": gettext_lazy("Kind"),
            "note": gettext_lazy("Note"),
        }
        help_texts = {
            "old_path": gettext_lazy(
                "The address readers still arrive at, such as /2019/05/old-title/."
            ),
            "target_path": gettext_lazy(
                "A path of this site. A post's or page's address makes the "
                "redirect follow that post if its address changes again."
            ),
            "status": gettext_lazy(
                "Permanent tells search engines to use the new address."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_path"].required = True
        self.fields["old_path"].widget.attrs["autocomplete"] = "off"
        self.fields["target_path"].widget.attrs["autocomplete"] = "off"
        if self.instance.target_post_id is not None and not self.is_bound:
            self.initial["target_path"] = unquote(self.instance.target_display())

    def _post_clean(self):
        # The typed address wins over the post the redirect led to; the
        # action finds the post again if the address is one.
        self.instance.target_post = None
        super()._post_clean()


def _listed(query: str):
    redirects = Redirect.objects.select_related("target_post")
    if query:
        text = unquote(query)
        redirects = redirects.filter(
            Q(old_path__icontains=text)
            | Q(target_path__icontains=text)
            | Q(note__icontains=text)
            | Q(target_post__title__icontains=text)
            | Q(target_post__slug__icontains=text)
        )
    return redirects


def _screen(request: HttpRequest, form: RedirectForm, editing, status=200):
    query = request.GET.get("q", "").strip()
    page = CappedPaginator(_listed(query), PER_PAGE).get_page(
        ascii_number(request.GET.get("page", "")) or 1
    )
    return TemplateResponse(
        request,
        "desk/settings/redirects.html",
        {
            "nav_current": "settings",
            "form": form,
            "editing": editing,
            "query": query,
            "page": page,
            "total": capped_counts({"all": Redirect.objects.all()})["all"],
        },
        status=status,
    )


def _save(request: HttpRequest) -> HttpResponse:
    pk = ascii_number(request.POST.get("id", ""), maximum=MAX_ID)
    editing = get_object_or_404(Redirect, pk=pk) if pk else None
    form = RedirectForm(request.POST, instance=editing)
    if form.is_valid():
        try:
            saved = SaveRedirect(form.instance, user=request.user).run()
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved: %(old)s now leads to %(new)s.")
                % {"old": saved.old_path, "new": unquote(saved.target_display())},
            )
            return redirect("desk:redirects")
    return _screen(request, form, editing, status=400)


def _delete(request: HttpRequest) -> HttpResponse:
    found = get_object_or_404(
        Redirect, pk=ascii_number(request.POST.get("id", ""), maximum=MAX_ID)
    )
    DeleteRedirect(found, user=request.user).run()
    messages.success(
        request,
        _("Deleted the redirect from %(old)s; that address is a 404 again.")
        % {"old": found.old_path},
    )
    return redirect(reverse("desk:redirects"))


@desk_view("redirects.change_redirect")
def screen(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("intent") == "delete":
            return _delete(request)
        return _save(request)
    pk = ascii_number(request.GET.get("edit", ""), maximum=MAX_ID)
    editing = get_object_or_404(Redirect, pk=pk) if pk else None
    return _screen(request, RedirectForm(instance=editing), editing)
