"""Every change to webhooks, as named actions (the desk's Settings → Webhooks).

Only administrators manage webhooks: the actions ask for the model's own
permissions (``webhooks.add_webhook``, ``change_webhook``,
``delete_webhook``), which only the administrator role holds
(``accounts.roles``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from afterword.core import outbound
from afterword.core.actions import Action, DeleteObject, SaveObject

from . import services
from .events import Occurrence
from .models import PING, Event, Webhook, WebhookDelivery, new_secret


def check_address(url: str) -> None:
    """Refuse an address the site would not post to, with the reason."""
    try:
        outbound.check_url(url)
    except outbound.OutboundError as error:
        raise ValidationError(
            {
                "url": _("The site cannot post to this address: %(reason)s")
                % {"reason": error}
            }
        ) from None


class SaveWebhook(SaveObject):
    """Add a webhook or change its address, events or state.

    The address must be one the site may post to (``core.outbound``: http or
    https, on the public internet); at least one known event is chosen.
    """

    name = "webhooks.save_webhook"

    def validate(self) -> None:
        hook = self.instance
        hook.url = hook.url.strip()
        hook.events = [event for event in Event.values if event in set(hook.events)]
        hook.full_clean(exclude=["events"])
        if not hook.events:
            raise ValidationError(
                {"events": _("Choose at least one event to send to this address.")}
            )
        check_address(hook.url)

    def execute(self) -> Webhook:
        hook = self.instance
        if hook.pk is None and hook.created_by_id is None and self.user is not None:
            hook.created_by = self.user
        hook.save()
        return hook


class DeleteWebhook(DeleteObject):
    """Delete a webhook; what was still waiting to be posted is dropped."""

    name = "webhooks.delete_webhook"


class RotateWebhookSecret(Action):
    """Give a webhook a new secret; from now on every attempt is signed with it,
    including retries of events queued before."""

    name = "webhooks.rotate_secret"
    permission = "webhooks.change_webhook"

    def __init__(self, webhook: Webhook, *, user=None):
        super().__init__(user=user)
        self.webhook = webhook

    def execute(self) -> Webhook:
        self.webhook.secret = new_secret()
        self.webhook.save(update_fields=["secret"])
        return self.webhook


class SendTestPing(Action):
    """Queue a ``ping`` event to one webhook, whatever events it listens to,
    so the writer can check the receiver and its signature check."""

    name = "webhooks.send_test_ping"
    permission = "webhooks.change_webhook"

    def __init__(self, webhook: Webhook, *, user=None):
        super().__init__(user=user)
        self.webhook = webhook

    def check(self) -> None:
        super().check()
        if not self.webhook.active:
            raise ValidationError(_("Switch the webhook on before testing it."))

    def execute(self) -> WebhookDelivery:
        occurrence = Occurrence(
            PING, f"webhook:{self.webhook.pk}", {"webhook": {"id": self.webhook.pk}}
        )
        return services.queue_to(self.webhook, occurrence)
