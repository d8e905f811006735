"""Follow box, confirmation, preferences and unsubscribe pages.

The follow box sits on cached pages, so its view is ``csrf_exempt`` and
protected instead by the signed form token, honeypot, Origin check and flood
limit of ``afterword.discussion.defences``. Pages reached through a signed
link show one person's data: they are ``never_cache``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afterword.discussion import defences

from . import emails, services, targets
from .forms import FollowForm, PreferencesForm
from .tokens import InvalidLink

FORM_PURPOSE = "follow"
FLOOD = defences.Limit(count=10, window=3600)


def message_page(request, title: str, message: str, status: int = 200, **extra):
    context = {"title": title, "message": message, **extra}
    return render(request, "subscriptions/message.html", context, status=status)


@never_cache
@require_GET
def form_token(request):
    """A fresh form token, fetched by the follow box's script when needed."""
    return JsonResponse({"token": defences.make_token(FORM_PURPOSE)})


@csrf_exempt
@never_cache
@require_POST
def follow(request):
    form = FollowForm(request.POST)
    try:
        defences.check_origin(request)
        defences.check_honeypot(request.POST)
        defences.check_token(request.POST.get("token", ""), FORM_PURPOSE)
        defences.hit_client(
            "follow-client",
            request,
            FLOOD,
            _("Too many follow requests from your network; please try again later."),
        )
        if not form.is_valid():
            raise ValidationError(_("Please enter your email address."))
        result = services.subscribe(
            form.cleaned_data["email"], form.cleaned_data["target"]
        )
    except defences.Refused as refused:
        message = refused.message
        if refused.status == 403:
            message = _("This form can only be sent from this site.")
        return follow_again(request, form, message, refused.status)
    except ValidationError as error:
        return follow_again(request, form, " ".join(error.messages), 400)
    return message_page(
        request, _("Check your inbox"), result.message, target=result.target
    )


def follow_again(request, form, message: str, status: int):
    """Show the form again, filled in, with what went wrong."""
    target = (
        targets.resolve(request.POST.get("target", ""), public_only=True)
        or targets.site_target()
    )
    return render(
        request,
        "subscriptions/follow_again.html",
        {
            "message": message,
            "email": request.POST.get("email", ""),
            "target": target,
            "token": defences.make_token(FORM_PURPOSE),
            "honeypot": defences.HONEYPOT_FIELD,
            "form": form,
        },
        status=status,
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    """GET shows what the link would confirm, with a button; only the POST
    that button sends confirms. Mail scanners open every link in an email,
    so a GET that confirmed would confirm whatever anyone typed into the
    follow box. The signed link is the proof, as for ``unsubscribe``."""
    try:
        if request.method == "POST":
            follow = services.confirm(token)
        else:
            follow = services.follow_for_confirm_token(token)
    except InvalidLink as invalid:
        return message_page(request, _("This link did not work"), invalid.message, 400)
    target = targets.resolve(follow.target)
    if request.method != "POST":
        return render(
            request,
            "subscriptions/confirm.html",
            {
                "follow": follow,
                "label": target.label if target else _("this site"),
                "active": services.is_active(follow),
                "token": token,
                "manage_url": emails.manage_url(follow.subscriber),
            },
        )
    return message_page(
        request,
        _("You are following"),
        _("Confirmed: %(email)s now follows %(label)s.")
        % {
            "email": follow.subscriber.email,
            "label": target.label if target else _("this site"),
        },
        manage_url=emails.manage_url(follow.subscriber),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    try:
        subscriber = services.subscriber_for_token(token)
    except InvalidLink as invalid:
        return message_page(request, _("This link did not work"), invalid.message, 400)
    following = set(
        subscriber.follows.filter(confirmed_at__isnull=False).values_list(
            "target", flat=True
        )
    )
    offered = targets.every_target()
    # What this reader already follows stays on offer, even a tag whose posts
    # have all gone back to draft since: saving the page must not drop it.
    kept = targets.describe(following - {t.key for t in offered}).values()
    choices = [(t.key, t.label[0].upper() + t.label[1:]) for t in [*offered, *kept]]
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, choices=choices)
        if form.is_valid():
            services.update_preferences(
                subscriber,
                set(form.cleaned_data["targets"]),
                form.cleaned_data["frequency"],
            )
            saved = True
            following = set(form.cleaned_data["targets"])
    else:
        form = PreferencesForm(
            initial={"targets": sorted(following), "frequency": subscriber.frequency},
            choices=choices,
        )
    return render(
        request,
        "subscriptions/manage.html",
        {
            "form": form,
            "subscriber": subscriber,
            "saved": saved,
            "following": following,
            "token": token,
        },
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks (link checkers must not unsubscribe anyone); POST does it.

    A POST is also what mail clients send for RFC 8058 one-click
    unsubscribe (``List-Unsubscribe=One-Click``): no confirmation, no CSRF
    token, the signed link is the proof.
    """
    try:
        subscriber = services.subscriber_for_token(token)
    except InvalidLink as invalid:
        return message_page(request, _("This link did not work"), invalid.message, 400)
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return message_page(
            request,
            _("Unsubscribed"),
            _("Done: %(email)s will get no more emails from us.")
            % {"email": subscriber.email},
        )
    return render(
        request,
        "subscriptions/unsubscribe.html",
        {"subscriber": subscriber, "token": token},
    )
