"""The "Contact" form on an author's profile: a message emailed to the author.

It shares the comment form's defences (signed token, honeypot, origin check,
flood control) and the outbox; the author's address is never shown, and
replies go straight to the sender through ``Reply-To``.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from afterword.outbox.services import queue_email
from afterword.posts.authors import public_authors

from . import defences, links
from .defences import Refused
from .models import DiscussionSettings


class ContactForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        error_messages={
            "required": _("Please give your name."),
            "max_length": _("Please keep your name under 100 characters."),
        },
    )
    email = forms.EmailField(
        max_length=254,
        error_messages={
            "required": _("Please give your email address, so the author can answer."),
            "invalid": _("Please enter a valid email address."),
        },
    )
    subject = forms.CharField(
        max_length=150,
        required=False,
        error_messages={
            "max_length": _("Please keep the subject under 150 characters.")
        },
    )
    message = forms.CharField(
        max_length=5000,
        error_messages={
            "required": _("Please write a message."),
            "max_length": _("Please keep your message under 5,000 characters."),
        },
    )


def purpose(author) -> str:
    return f"contact:{author.pk}"


def accepts_messages(author) -> bool:
    """Whether the author's profile offers the form (their profile exists)."""
    return bool(author.contact_enabled and author.email and author.is_active)


def contactable_authors() -> QuerySet:
    """The accounts the form may reach: a public profile that takes messages.

    Every other username (none such, a reader, an administrator without a
    live post, a closed account, an author who turned the form off) gets the
    same answer as one that never existed, so neither the form nor its token
    address can tell which accounts exist.
    """
    return public_authors().filter(contact_enabled=True).exclude(email="")


def send_message(author, data: dict, *, ip: str) -> None:
    """Queue the message for ``author`` (one of :func:`contactable_authors`);
    raise Refused when it may not be sent."""
    if not accepts_messages(author):
        raise Refused(
            _("This author does not take messages."), status=403, keep_form=False
        )
    policy = DiscussionSettings.load()
    defences.hit(
        "contact",
        data["email"].strip().lower(),
        defences.Limit(policy.flood_identity_limit, policy.flood_window_seconds),
        _("You have sent several messages in a short time. Please wait a few minutes."),
    )
    site = getattr(settings, "SITE_NAME", "Afterword")
    subject = data["subject"].strip() or _("a message through your profile")
    text = render_to_string(
        "discussion/email/contact.txt",
        {
            "author": author,
            "data": data,
            "site_name": site,
            "profile_url": links.absolute(author.get_absolute_url()),
            "ip": ip,
        },
    )
    fingerprint = hashlib.sha256(
        f"{data['email'].lower()}\n{data['message'].strip()}".encode()
    ).hexdigest()[:32]
    queue_email(
        f"contact:{author.pk}:{fingerprint}",
        author.email,
        f"[{site}] {data['name']}: {subject}",
        text,
        headers={"Reply-To": data["email"]},
    )
