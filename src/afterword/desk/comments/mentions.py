"""The Mentions screen: webmentions other sites sent, moderated like comments.

Listed by status (held first, as comments are); each row has Approve, Spam
and Trash buttons (and Delete in the trash), plain forms posting to
``mention_act``, which runs the matching ``webmention.*`` action.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from afterword.core.admin import refusal_text
from afterword.core.counting import CappedPaginator
from afterword.desk.access import desk_view
from afterword.webmention import actions
from afterword.webmention.models import Webmention

from .answers import back_to

PERMISSION = actions.MODERATE_PERMISSION
S = Webmention.Status
TABS = (
    (S.PENDING, gettext_lazy("Held")),
    (S.APPROVED, gettext_lazy("Approved")),
    (S.UNVERIFIED, gettext_lazy("Not verified yet")),
    (S.FAILED, gettext_lazy("Failed")),
    (S.SPAM, gettext_lazy("Spam")),
    (S.TRASH, gettext_lazy("Trash")),
)
VERBS = {
    "approve": actions.ApproveWebmention,
    "spam": actions.SpamWebmention,
    "trash": actions.TrashWebmention,
    "delete": actions.DeleteWebmention,
}
DONE = {
    "approve": gettext_lazy("Mention approved: it shows under the post."),
    "spam": gettext_lazy("Mention marked as spam."),
    "trash": gettext_lazy("Mention moved to the trash."),
    "delete": gettext_lazy("Mention deleted for good."),
}


@require_GET
@desk_view(PERMISSION)
def mention_list(request):
    tab = request.GET.get("status", S.PENDING)
    if tab not in S.values:
        tab = S.PENDING
    counts = dict.fromkeys(S.values, 0)
    for status in Webmention.objects.values_list("status", flat=True):
        counts[status] += 1
    rows = Webmention.objects.filter(status=tab).select_related("post")
    page = CappedPaginator(rows.order_by("-received_at", "-id"), 50).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request,
        "desk/comments/mentions.html",
        {
            "nav_current": "comments",
            "tab": tab,
            "tabs": [
                {
                    "key": key,
                    "label": label,
                    "count": counts[key],
                    "current": key == tab,
                }
                for key, label in TABS
            ],
            "page": page,
            "next": request.get_full_path(),
        },
    )


@require_POST
@desk_view(PERMISSION)
def mention_act(request, pk: int):
    verb = request.POST.get("action", "")
    action = VERBS.get(verb)
    if action is None:
        raise Http404("No such action.")
    mention = Webmention.objects.filter(pk=pk).first()
    if mention is None:
        messages.info(request, _("That mention no longer exists."))
        return HttpResponseRedirect(back_to(request, "desk:mentions"))
    try:
        action(mention, user=request.user).run()
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, str(DONE[verb]))
    return HttpResponseRedirect(back_to(request, "desk:mentions"))


def list_url() -> str:
    return reverse("desk:mentions")
