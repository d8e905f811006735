"""The admin's way through the actions: no save or delete around them.

``ActionAdmin`` replaces the four places where Django's admin writes rows
(``save_model``, ``delete_model``, ``delete_queryset`` and the inline
formsets of ``save_formset``) with the actions the model's app declared
(``core.actions.for_model``); inline rows go through their own model's
actions. The save action's checks also run inside the form, so a refusal is a
form error with everything typed still there; a refused deletion is a
message. ``tests/core/test_admin_actions.py`` walks the admin site and fails
if a public model's admin, or one of its inlines, could write around them.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect

from . import actions, changes
from .counting import CappedPaginator


def _actions_for(model) -> actions.ModelActions:
    declared = actions.model_actions(model)
    if declared is None and model._meta.proxy:
        declared = actions.model_actions(model._meta.concrete_model)
    if declared is None:
        raise ImproperlyDeclared(
            f"{model._meta.label} has no actions declared (core.actions.for_model)."
        )
    return declared


class ImproperlyDeclared(Exception):
    """A model shown in an ActionAdmin has no actions declared."""


def refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You are not allowed to do that."


def count_lists_cheaply(site: admin.AdminSite) -> None:
    """Every change list of ``site`` counts at most ``counting.CAP`` rows.

    Django's change list counts the filtered rows and, unless told not to,
    the whole table on every load: two ``COUNT(*)`` of a million comments.
    Set on each registered admin (Django's, allauth's and the task queue's
    too), after every app's ``admin.py`` has registered its models.
    """
    for model_admin in site._registry.values():
        model_admin.show_full_result_count = False
        model_admin.paginator = CappedPaginator


class ActionAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every write is one of the model's actions.

    Each admin request that may write (a form with its inlines, a delete, a
    list action) is one announcement of changes, however many actions and
    rows it took.
    """

    def changeform_view(self, *args, **kwargs):
        with changes.collect():
            return super().changeform_view(*args, **kwargs)

    def delete_view(self, request, object_id, extra_context=None):
        """A deletion the action refuses comes back as a message on the
        object's page, with nothing deleted."""
        try:
            with changes.collect():
                return super().delete_view(request, object_id, extra_context)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, f"Not deleted: {refusal_text(error)}")
            opts = self.opts
            return redirect(
                f"admin:{opts.app_label}_{opts.model_name}_change", object_id
            )

    def changelist_view(self, *args, **kwargs):
        with changes.collect():
            return super().changelist_view(*args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form also runs the save action's checks, so a refusal is a form
        error with everything the writer typed still there, not a failed save."""
        form_class = super().get_form(request, obj, change=change, **kwargs)
        save = _actions_for(self.model).save
        if save is None:
            return form_class
        user = request.user

        class CheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    save(self.instance, user=user, change=change).check()
                except ValidationError as error:
                    add_form_errors(self, error)
                except PermissionDenied as error:
                    self.add_error(None, refusal_text(error))

        CheckedForm.__name__ = form_class.__name__
        return CheckedForm

    def save_model(self, request, obj, form, change):
        save = _actions_for(type(obj)).save
        if save is None:
            raise PermissionDenied
        save(obj, user=request.user, change=change).run()

    def delete_model(self, request, obj):
        delete = _actions_for(type(obj)).delete
        if delete is None:
            raise PermissionDenied
        delete(obj, user=request.user).run()

    def delete_queryset(self, request, queryset):
        """The list's "delete selected": one action per row, one announcement.

        A row an action refuses is reported and kept; the others go.
        """
        refused = []
        with changes.collect():
            for obj in queryset:
                try:
                    with transaction.atomic():
                        self.delete_model(request, obj)
                except (ValidationError, PermissionDenied) as error:
                    refused.append(f"“{obj}”: {refusal_text(error)}")
        for text in refused:
            messages.error(request, f"Not deleted: {text}")

    def has_delete_permission(self, request, obj=None):
        declared = actions.model_actions(self.model) or actions.model_actions(
            self.model._meta.concrete_model
        )
        if declared is not None and declared.delete is None:
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        """Inline rows go through their own model's actions, like the parent."""
        save_formset_through_actions(request, formset)


def add_form_errors(form, error: ValidationError) -> None:
    """Put an action's refusal on the form: on its field when the form has
    that field, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def save_formset_through_actions(request, formset) -> None:
    declared = _actions_for(formset.model)
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        if declared.delete is None:
            raise PermissionDenied
        declared.delete(obj, user=request.user).run()
    for obj in instances:
        if declared.save is None:
            raise PermissionDenied
        declared.save(obj, user=request.user, change=obj.pk is not None).run()
    formset.save_m2m()
