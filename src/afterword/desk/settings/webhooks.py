"""Settings → Webhooks: the addresses told about posts and comments.

One screen at ``/desk/settings/webhooks/`` (administrators: the
``webhooks.change_webhook`` permission): the webhooks with their secrets,
the form to add one (or, with ``?edit=ID``, to change one), a button per
row to delete it, give it a new secret or send it a test event, and the
latest deliveries with their state. Every write is one of
``webhooks.actions``, whose refusals (an address the site will not post to,
no event chosen) come back as form errors with what was typed still there.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from afterword.core.numbers import ascii_number
from afterword.desk.access import desk_view
from afterword.desk.action_errors import run_for_form
from afterword.webhooks.actions import (
    DeleteWebhook,
    RotateWebhookSecret,
    SaveWebhook,
    SendTestPing,
)
from afterword.webhooks.models import Event, Webhook, WebhookDelivery

RECENT = 30
MAX_ID = 2**62


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=500,
        help_text=gettext_lazy(
            "Where the site posts each event, such as "
            "https://example.org/hooks/afterword."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=Event.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(
        label=gettext_lazy("On"),
        required=False,
        initial=True,
        help_text=gettext_lazy("A webhook switched off is sent nothing."),
    )

    def fill(self, hook: Webhook) -> Webhook:
        hook.url = self.cleaned_data["url"]
        hook.events = list(self.cleaned_data["events"])
        hook.active = self.cleaned_data["active"]
        return hook


def _initial(hook: Webhook | None) -> dict:
    if hook is None:
        return {"active": True, "events": []}
    return {"url": hook.url, "events": hook.events, "active": hook.active}


def _screen(request: HttpRequest, form: WebhookForm, editing, status=200):
    deliveries = WebhookDelivery.objects.select_related("webhook").defer("payload")
    if editing is not None:
        deliveries = deliveries.filter(webhook=editing)
    return TemplateResponse(
        request,
        "desk/settings/webhooks.html",
        {
            "nav_current": "settings",
            "form": form,
            "editing": editing,
            "webhooks": Webhook.objects.all(),
            "deliveries": deliveries[:RECENT],
        },
        status=status,
    )


def _chosen(request: HttpRequest, field: str = "id") -> Webhook:
    return get_object_or_404(
        Webhook, pk=ascii_number(request.POST.get(field, ""), maximum=MAX_ID)
    )


def _save(request: HttpRequest) -> HttpResponse:
    pk = ascii_number(request.POST.get("id", ""), maximum=MAX_ID)
    editing = get_object_or_404(Webhook, pk=pk) if pk else None
    form = WebhookForm(request.POST)
    if form.is_valid():
        hook = form.fill(editing or Webhook())
        done, saved = run_for_form(SaveWebhook(hook, user=request.user), form)
        if done:
            messages.success(
                request,
                _("Saved the webhook for %(url)s.") % {"url": saved.url},
            )
            return redirect("desk:webhooks")
        if editing is not None:
            editing.refresh_from_db()
    return _screen(request, form, editing, status=400)


def _delete(request: HttpRequest) -> HttpResponse:
    hook = _chosen(request)
    DeleteWebhook(hook, user=request.user).run()
    messages.success(request, _("Deleted the webhook for %(url)s.") % {"url": hook.url})
    return redirect("desk:webhooks")


def _rotate(request: HttpRequest) -> HttpResponse:
    hook = RotateWebhookSecret(_chosen(request), user=request.user).run()
    messages.success(
        request,
        _(
            "The webhook for %(url)s has a new secret: give it to the receiver, "
            "the old one no longer signs anything."
        )
        % {"url": hook.url},
    )
    return redirect("desk:webhooks")


def _ping(request: HttpRequest) -> HttpResponse:
    hook = _chosen(request)
    try:
        SendTestPing(hook, user=request.user).run()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A test event is on its way to %(url)s; its state shows below.")
            % {"url": hook.url},
        )
    return redirect("desk:webhooks")


INTENTS = {"delete": _delete, "rotate": _rotate, "ping": _ping}


@desk_view("webhooks.change_webhook")
def screen(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return INTENTS.get(request.POST.get("intent", ""), _save)(request)
    pk = ascii_number(request.GET.get("edit", ""), maximum=MAX_ID)
    editing = get_object_or_404(Webhook, pk=pk) if pk else None
    return _screen(request, WebhookForm(initial=_initial(editing)), editing)
