"""Views of the discussion: posting, the form token, avatars, email links, edits."""

from __future__ import annotations

import time

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afterword.core.clientip import client_ip
from afterword.posts import visibility
from afterword.posts.models import Post

from . import actions, cookies, defences, identicon, rules
from .defences import Refused
from .forms import CommentForm, EditCommentForm
from .models import Comment, DiscussionSettings

PROVIDER_SESSION_KEY = "afterword_login_provider"


def public_posts():
    """The posts whose comment addresses answer at all.

    A draft or a post scheduled for later answers every comment address
    exactly as an id that was never used does (a plain 404): neither its
    title, its address nor its existence may leak before it is live. So does
    a private post (``posts.models.reachable_condition``).
    """
    return Post.objects.reachable()


def readable_post(request, post_id: int, queryset=None):
    """The post of a comment address, if this reader may read its text: a
    password-protected post's discussion answers only to readers who gave
    its password (``posts.visibility.is_unlocked``), as its page does."""
    post = get_object_or_404(
        public_posts() if queryset is None else queryset, pk=post_id
    )
    if not visibility.is_unlocked(request, post):
        raise Http404("No post at this address.")
    return post


def purpose_for(post) -> str:
    return f"post:{post.pk}"


def refill_token(post) -> str:
    """A token the reader may use at once: they already spent time on this form."""
    min_age, _ = defences.token_ages()
    return defences.make_token(purpose_for(post), now=time.time() - min_age)


def ip_limit() -> defences.Limit:
    policy = DiscussionSettings.load()
    return defences.Limit(policy.flood_ip_limit, policy.flood_window_seconds)


FLOOD_MESSAGE = _(
    "Too many posts from your network in a short time. "
    "Please wait a few minutes and try again."
)
CONTACT_FLOOD_MESSAGE = _(
    "Too many messages from your network in a short time. "
    "Please wait a few minutes and try again."
)


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refused(request, post, form, message: str, status: int, keep_form: bool):
    if status == 429 and not wants_json(request):
        # A flood gets the cheapest answer there is: no site chrome, no queries.
        return render(
            request,
            "discussion/throttled.html",
            {"message": message, "back_url": f"{post.get_absolute_url()}#respond"},
            status=429,
        )
    if wants_json(request):
        errors = (
            {k: [str(e) for e in v] for k, v in form.errors.items()} if form else {}
        )
        return JsonResponse(
            {
                "ok": False,
                "message": message,
                "errors": errors,
                "token": refill_token(post),
            },
            status=status,
        )
    context = {
        "post": post,
        "message": message,
        "form": form if keep_form else None,
        "token": refill_token(post),
        "data": request.POST if keep_form else {},
        "parent_value": request.POST.get("parent", "") if keep_form else "",
    }
    return render(request, "discussion/refused.html", context, status=status)


@csrf_exempt
@require_POST
def post_comment(request, post_id: int):
    """Take a comment posted from a (possibly cached) post page."""
    post = readable_post(request, post_id, public_posts().select_related("author"))
    form = CommentForm(request.POST, user=request.user)
    try:
        defences.screen(
            request, purpose_for(post), ip_limit(), FLOOD_MESSAGE, scope="comment"
        )
        if not form.is_valid():
            first = next(iter(form.errors.values()))[0]
            return _refused(request, post, form, first, 400, keep_form=True)
        data = form.cleaned_data
        comment = actions.PostComment(
            post,
            actions.CommentInput(
                body=data["body"],
                name=data["name"],
                email=data["email"],
                url=data["url"],
                parent_id=data["parent"],
                notify_replies=data["notify_replies"],
                subscribe=data["subscribe"],
            ),
            user=request.user,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            provider_name=request.session.get(PROVIDER_SESSION_KEY, "")
            if request.user.is_authenticated
            else "",
            receipts=cookies.guest_comment_ids(request),
        ).run()
    except Refused as refusal:
        return _refused(
            request, post, form, refusal.message, refusal.status, refusal.keep_form
        )
    held = comment.status != Comment.Status.APPROVED
    message = (
        _("Thank you! Your comment is awaiting moderation.")
        if held
        else _("Thank you! Your comment is published.")
    )
    if wants_json(request):
        html = render_to_string(
            "discussion/single.html",
            {"c": comment, "held": held, "post_url": post.get_absolute_url()},
            request=request,
        )
        response = JsonResponse(
            {
                "ok": True,
                "id": comment.pk,
                "parent": comment.parent_id,
                "held": held,
                "message": message,
                "html": html,
            }
        )
    else:
        response = redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
        response.status_code = 303
    if not request.user.is_authenticated:
        cookies.remember_comment(request, response, comment.pk)
        if data["remember"]:
            cookies.remember_details(
                request,
                response,
                name=data["name"],
                email=data["email"],
                url=data["url"],
            )
        else:
            cookies.forget_details(response)
    return response


@never_cache
@require_GET
def form_token(request, post_id: int):
    """A fresh form token, fetched by the page's script when it loads."""
    post = readable_post(request, post_id)
    return JsonResponse({"token": defences.make_token(purpose_for(post))})


@require_GET
def avatar(request, digest: str):
    """A locally drawn identicon: no third party learns who reads the comments.

    Only for digests spelled as the site writes them: any other name is a
    404, not a picture (the page cache does not store these either, see
    ``pagecache.middleware``).
    """
    if not identicon.is_digest(digest):
        raise Http404("No such avatar.")
    response = HttpResponse(
        identicon.identicon_svg(digest), content_type="image/svg+xml"
    )
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def edit_comment(request, pk: int):
    """Edit or delete one's own comment within the edit window."""
    comment = get_object_or_404(
        Comment.objects.select_related("post").filter(post__in=public_posts()), pk=pk
    )
    if not visibility.is_unlocked(request, comment.post):
        raise Http404("No comment at this address.")
    allowed = rules.can_edit(
        comment, user=request.user, guest_ids=cookies.guest_comment_ids(request)
    )
    if not allowed:
        return render(
            request, "discussion/edit_closed.html", {"comment": comment}, status=403
        )
    if request.method == "POST" and "delete" in request.POST:
        actions.DeleteOwnComment(comment).run()
        return redirect(f"{comment.post.get_absolute_url()}#comments")
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        actions.EditOwnComment(
            comment,
            form.cleaned_data["body"],
            user=request.user if request.user.is_authenticated else None,
            receipts=cookies.guest_comment_ids(request),
        ).run()
        return redirect(comment.get_absolute_url())
    return render(request, "discussion/edit.html", {"comment": comment, "form": form})


EMAIL_ACTIONS = {
    "approve": _("Approve this comment"),
    "spam": _("Mark this comment as spam"),
    "trash": _("Move this comment to the trash"),
    "stop-replies": _("Stop emails about replies to my comment"),
    "confirm": _("Yes, email me new comments on this post"),
    "unsubscribe": _("Stop emails about new comments on this post"),
}


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def email_action(request, token: str):
    """A signed link from an email: GET asks for a click, POST does it."""
    from . import links
    from .emailactions import perform, target_of

    parsed = links.read(token)
    if parsed is None or parsed[0] not in EMAIL_ACTIONS:
        return render(
            request, "discussion/email_action.html", {"invalid": True}, status=400
        )
    action, pk = parsed
    target = target_of(action, pk)
    if target is None:
        return render(
            request, "discussion/email_action.html", {"gone": True}, status=404
        )
    context = {"action": action, "label": EMAIL_ACTIONS[action], "target": target}
    if request.method == "POST":
        context["result"] = perform(action, target)
        context["done"] = True
    return render(request, "discussion/email_action.html", context)


NO_CONTACT = _("There is no author at this address who takes messages.")


def _contact_author(username: str):
    from . import contact as contact_service

    return contact_service.contactable_authors().filter(username=username).first()


def _no_contact(request):
    """One answer for every username the form may not reach (see
    ``contact.contactable_authors``): it must not tell them apart."""
    context = {"message": NO_CONTACT}
    return render(request, "discussion/contact_unavailable.html", context, status=404)


@csrf_exempt
@require_POST
def contact(request, username: str):
    """Email a message to an author from their (possibly cached) profile page."""
    from . import contact as contact_service

    try:
        # Counted before the name is looked up, and answered without it, so
        # that a flooded client cannot tell accounts apart by the answer.
        defences.hit_client(
            "contact-client", request, ip_limit(), CONTACT_FLOOD_MESSAGE
        )
    except Refused as refusal:
        context = {"message": refusal.message, "back_url": "/"}
        return render(request, "discussion/throttled.html", context, status=429)
    author = _contact_author(username)
    if author is None:
        return _no_contact(request)
    form = contact_service.ContactForm(request.POST)
    purpose = contact_service.purpose(author)
    try:
        defences.check_origin(request)
        defences.check_honeypot(request.POST)
        defences.check_token(request.POST.get("token", ""), purpose)
        if not form.is_valid():
            raise Refused(next(iter(form.errors.values()))[0])
        contact_service.send_message(author, form.cleaned_data, ip=client_ip(request))
    except Refused as refusal:
        min_age, _ = defences.token_ages()
        context = {
            "author": author,
            "message": refusal.message,
            "form": form if refusal.keep_form else None,
            "data": request.POST if refusal.keep_form else {},
            "token": defences.make_token(purpose, now=time.time() - min_age),
        }
        return render(
            request, "discussion/contact_result.html", context, status=refusal.status
        )
    return render(
        request, "discussion/contact_result.html", {"author": author, "sent": True}
    )


@never_cache
@require_GET
def contact_token(request, username: str):
    from . import contact as contact_service

    author = _contact_author(username)
    if author is None:
        return JsonResponse({"message": NO_CONTACT}, status=404)
    return JsonResponse({"token": defences.make_token(contact_service.purpose(author))})
