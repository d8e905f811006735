"""Fediverse: the writer's account there, followers, likes, boosts, blocks.

One screen at ``/desk/fediverse/`` for writers who publish: their handle,
whether follows wait for approval, the requests waiting, the followers
(with a button to remove one), the likes and boosts their posts got, and
for administrators the blog's own account, the blocked servers and
accounts and how delivery goes. Every write is one of
``federation.actions``; a refused block comes back as a form error with
what was typed still there.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from afterword.core.counting import CappedPaginator
from afterword.core.numbers import ascii_number
from afterword.desk.access import desk_view
from afterword.desk.action_errors import add_errors
from afterword.federation import actions, actors
from afterword.federation.models import (
    Block,
    Delivery,
    Follower,
    Instance,
    LocalActor,
    Reaction,
)

PAGE_SIZE = 50
RECENT = 20
MAX_ID = 2**62
MANAGE_ALL = "federation.change_localactor"
BLOCK = "federation.add_block"


class BlockForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Block"), choices=Block.Kind.choices)
    value = forms.CharField(
        label=gettext_lazy("Server or account"),
        max_length=500,
        help_text=gettext_lazy(
            "A server name (example.social) or an account's address "
            "(https://example.social/users/name)."
        ),
    )


def managed_actors(user) -> list[LocalActor]:
    """The fediverse accounts this writer looks after."""
    own = [actors.author_actor(user)] if actors.is_author(user) else []
    if user.has_perm(MANAGE_ALL):
        own.append(actors.site_actor())
        own += list(LocalActor.objects.filter(user__isnull=False).exclude(user=user))
    return own


def _screen(request, block_form=None, status=200):
    user = request.user
    mine = managed_actors(user)
    followers = (
        Follower.objects.filter(actor__in=mine)
        .select_related("remote", "actor")
        .order_by("-created_at", "-pk")
    )
    pending = list(followers.filter(state=Follower.State.PENDING)[:PAGE_SIZE])
    page = CappedPaginator(
        followers.filter(state=Follower.State.ACCEPTED), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    reactions = Reaction.objects.all()
    if not user.has_perm(MANAGE_ALL):
        reactions = reactions.filter(post__author=user)
    per_post = (
        reactions.values("post__pk", "post__title")
        .annotate(
            likes=Count("pk", filter=Q(kind=Reaction.Kind.LIKE)),
            boosts=Count("pk", filter=Q(kind=Reaction.Kind.ANNOUNCE)),
        )
        .order_by("-likes", "-boosts")[:RECENT]
    )
    context = {
        "nav_current": "fediverse",
        "accounts": [
            {"actor": actor, "handle": actors.handle_of(actor)} for actor in mine
        ],
        "pending": pending,
        "page": page,
        "per_post": per_post,
        "recent": reactions.select_related("remote", "post")[:RECENT],
        "can_block": user.has_perm(BLOCK),
    }
    if user.has_perm(BLOCK):
        context |= {
            "block_form": block_form or BlockForm(),
            "blocks": Block.objects.all()[:PAGE_SIZE],
            "deliveries": Delivery.objects.aggregate(
                waiting=Count("pk", filter=Q(state=Delivery.State.PENDING)),
                failed=Count("pk", filter=Q(state=Delivery.State.FAILED)),
                delivered=Count("pk", filter=Q(state=Delivery.State.DELIVERED)),
            ),
            "failing": Instance.objects.filter(failing_since__isnull=False)[:RECENT],
        }
    return TemplateResponse(
        request, "desk/fediverse/fediverse.html", context, status=status
    )


def _follower(request) -> Follower:
    return get_object_or_404(
        Follower.objects.select_related("remote", "actor"),
        pk=ascii_number(request.POST.get("follower", ""), maximum=MAX_ID),
    )


def _approval(request):
    actor = get_object_or_404(
        LocalActor, pk=ascii_number(request.POST.get("actor", ""), maximum=MAX_ID)
    )
    approve = request.POST.get("approve") == "on"
    actions.SetFollowerApproval(actor, approve, user=request.user).run()
    messages.success(
        request,
        _("New followers now wait for your approval.")
        if approve
        else _("New followers are now accepted at once."),
    )


def _approve(request):
    follower = _follower(request)
    actions.ApproveFollower(follower, user=request.user).run()
    messages.success(
        request, _("%(handle)s now follows you.") % {"handle": follower.remote.handle}
    )


def _remove(request):
    follower = _follower(request)
    actions.RemoveFollower(follower, user=request.user).run()
    messages.success(
        request,
        _("%(handle)s no longer follows you.") % {"handle": follower.remote.handle},
    )


def _block(request):
    form = BlockForm(request.POST)
    if not form.is_valid():
        return _screen(request, form, status=400)
    action = actions.BlockFediverse(
        form.cleaned_data["kind"], form.cleaned_data["value"], user=request.user
    )
    try:
        block = action.run()
    except ValidationError as error:
        add_errors(form, error)
        return _screen(request, form, status=400)
    messages.success(request, _("Blocked %(value)s.") % {"value": block.value})
    return None


def _unblock(request):
    block = get_object_or_404(
        Block, pk=ascii_number(request.POST.get("block", ""), maximum=MAX_ID)
    )
    actions.Unblock(block, user=request.user).run()
    messages.success(request, _("Unblocked %(value)s.") % {"value": block.value})


HANDLERS = {
    "approval": _approval,
    "approve": _approve,
    "remove": _remove,
    "block": _block,
    "unblock": _unblock,
}


@desk_view("posts.publish_post")
def screen(request):
    if request.method == "POST":
        handler = HANDLERS.get(request.POST.get("do", ""))
        if handler is None:
            return _screen(request, status=400)
        answer = handler(request)
        return answer or redirect("desk:fediverse")
    return _screen(request)
