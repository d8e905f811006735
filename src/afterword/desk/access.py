"""Who may open the desk, and a decorator for its views.

Anyone with a writer role (``accounts.roles``) may sign in to the desk;
each screen and each button then asks for the permission it needs, the same
one the action it calls checks, so hiding a button is a courtesy and the
action's refusal is the rule. A refusal is a 403 page, never a 500.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from afterword.accounts.roles import role_of


def can_use_desk(user) -> bool:
    return role_of(user) is not None


def desk_view(permission: str | tuple[str, ...] = ""):
    """Require a signed-in writer and, when given, one of ``permission``."""
    wanted = (permission,) if isinstance(permission, str) else permission

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), "admin:login")
            if not can_use_desk(user):
                raise PermissionDenied(
                    _("Your account has no writer role on this site.")
                )
            if wanted and wanted != ("",) and not any(user.has_perm(p) for p in wanted):
                raise PermissionDenied(_("Your role does not include this screen."))
            return view(request, *args, **kwargs)

        guarded.desk_permission = wanted
        return guarded

    return decorate


def advanced(view):
    """Superusers only: Django's admin index, out of the writers' way."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "admin:login")
        if not request.user.is_superuser:
            raise PermissionDenied(_("The advanced screens are for superusers."))
        return view(request, *args, **kwargs)

    return guarded


def admin_home(request):
    """/admin/ is where writers are used to going: it opens the desk."""
    from django.shortcuts import redirect

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "admin:login")
    return redirect("desk:home")
