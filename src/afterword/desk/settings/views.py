"""Settings: the index of the site's settings, people and their roles, and
the discussion policy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from afterword.accounts.actions import CreateWriter, SetRole
from afterword.accounts.roles import BY_SLUG, ROLES
from afterword.core.counting import CappedPaginator
from afterword.desk.access import desk_view
from afterword.desk.action_errors import run_for_form
from afterword.discussion.actions import UpdateDiscussionSettings
from afterword.discussion.models import DiscussionSettings

from .forms import DiscussionSettingsForm, NewWriterForm, RoleForm

# Sub-screens other parts of the desk may or may not provide in this build.
OPTIONAL = (
    (
        "desk:redirects",
        gettext_lazy("Redirects"),
        gettext_lazy("Old addresses that lead readers to new ones."),
    ),
    (
        "desk:webhooks",
        gettext_lazy("Webhooks"),
        gettext_lazy("Other servers told when posts and comments change."),
    ),
    (
        "desk:language",
        gettext_lazy("Language"),
        gettext_lazy("The language of the site and of the desk."),
    ),
    (
        "desk:signed_in_apps",
        gettext_lazy("Signed-in apps"),
        gettext_lazy("Apps you signed in to with your account, and revoking them."),
    ),
)
PAGE_SIZE = 50
ROLE_GROUPS = {role.group_name: role for role in ROLES}


@desk_view("accounts.change_user")
def index(request):
    links = [
        {
            "url": reverse("desk:people"),
            "label": _("People & roles"),
            "about": _("Who can write on this site, and what each may do."),
        },
        {
            "url": reverse("desk:discussion_settings"),
            "label": _("Discussion"),
            "about": _("Comments: on or off, moderation, block lists, flood limits."),
        },
    ]
    for name, label, about in OPTIONAL:
        try:
            links.append({"url": reverse(name), "label": label, "about": about})
        except NoReverseMatch:
            continue
    return TemplateResponse(
        request,
        "desk/settings/index.html",
        {"nav_current": "settings", "links": links},
    )


def role_from_groups(account):
    """The highest role among prefetched groups (``roles.role_of`` without a
    query per row)."""
    if account.is_superuser:
        return BY_SLUG["administrator"]
    found = None
    for group in account.role_groups:
        role = ROLE_GROUPS.get(group.name)
        if role is not None and (
            found is None or ROLES.index(role) > ROLES.index(found)
        ):
            found = role
    return found


def people_page(request):
    query = request.GET.get("q", "").strip()[:150]
    accounts = get_user_model().objects.prefetch_related(
        Prefetch(
            "groups",
            queryset=Group.objects.filter(name__in=ROLE_GROUPS),
            to_attr="role_groups",
        )
    )
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(display_name__icontains=query)
        )
    else:
        accounts = accounts.filter(
            Q(is_superuser=True) | Q(groups__name__in=list(ROLE_GROUPS))
        ).distinct()
    paginator = CappedPaginator(accounts.order_by("username", "pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {"account": account, "role": role_from_groups(account)}
        for account in page.object_list
    ]
    return query, page, rows


def render_people(request, *, new_form=None, created=None, password="", status=200):
    query, page, rows = people_page(request)
    return TemplateResponse(
        request,
        "desk/settings/people.html",
        {
            "nav_current": "settings",
            "query": query,
            "page": page,
            "rows": rows,
            "roles": ROLES,
            "new_form": new_form or NewWriterForm(),
            "created": created,
            "password": password,
        },
        status=status,
    )


@desk_view("accounts.change_user")
def people(request):
    return render_people(request)


@require_POST
@desk_view("accounts.change_user")
def set_role(request, pk: int):
    account = get_object_or_404(get_user_model(), pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles in the list."))
        return redirect("desk:people")
    role = form.cleaned_data["role"] or None
    ok, _result = run_for_form(SetRole(account, role, user=request.user), form)
    if ok:
        label = BY_SLUG[role].label if role else _("a reader")
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": account.get_username(), "role": label},
        )
    else:
        for error in form.non_field_errors():
            messages.error(request, error)
    return redirect("desk:people")


@require_POST
@desk_view(("accounts.add_user",))
def new_writer(request):
    form = NewWriterForm(request.POST)
    if form.is_valid():
        # Shown once on the page that answers this request, stored nowhere
        # but as a hash: the writer changes it after signing in.
        password = get_random_string(20)
        action = CreateWriter(
            form.instance, form.cleaned_data["role"], password, user=request.user
        )
        ok, account = run_for_form(action, form)
        if ok:
            return render_people(request, created=account, password=password)
    return render_people(request, new_form=form, status=400)


@desk_view("discussion.change_discussionsettings")
def discussion(request):
    instance = DiscussionSettings.objects.filter(pk=1).first() or DiscussionSettings(
        pk=1
    )
    form = DiscussionSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        action = UpdateDiscussionSettings(form.instance, user=request.user)
        ok, _result = run_for_form(action, form)
        if ok:
            messages.success(request, _("The discussion settings are saved."))
            return redirect("desk:discussion_settings")
    return TemplateResponse(
        request,
        "desk/settings/discussion.html",
        {"nav_current": "settings", "form": form},
        status=400 if form.is_bound else 200,
    )
