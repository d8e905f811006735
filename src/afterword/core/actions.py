"""Actions: every change with rules or side effects, as one named class.

The admin, the command line, the importers, the demo loader (and later the
API, the federation inbox and the writer's desk) all change content through
the same actions, so a post deleted from a list behaves exactly like one
deleted from its page, from a script or from an API call. An action has
three steps, run in order by :meth:`Action.run`:

``check()``
    Refuse what must not happen, before anything is written: raise
    ``PermissionDenied`` (the acting user may not) or ``ValidationError``
    (the change breaks a rule; the message is for a person).
``execute()``
    Make the change, inside one transaction. Return what the caller needs.
``announce(result)``
    Tell the world, after the transaction committed: emails, followers, and
    (later) the fediverse. Never run if the transaction rolled back.

What pages show is *not* an action's business: caches and the search index
learn about changed rows from :mod:`afterword.core.changes`, whichever action
(or anything else) wrote them. Each run gathers its changes into one
announcement.

Actions are registered by name when their class is defined
(:func:`registered`), and an app names the actions that save and delete each
of its models with :func:`for_model`, which the admin (``core.admin``) reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from . import changes

_registry: dict[str, type[Action]] = {}


class Action:
    """Base class of every action. Subclasses set ``name`` and override steps.

    ``permission`` (``"app_label.codename"``), when set, is required of the
    acting ``user``; an action run with no user (a command, an importer, the
    scheduler) acts as the installation itself.
    """

    name: ClassVar[str] = ""
    permission: ClassVar[str] = ""

    def __init__(self, *, user=None) -> None:
        self.user = user

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            if cls.name in _registry and _registry[cls.name] is not cls:
                raise RuntimeError(f"Two actions are named {cls.name!r}.")
            _registry[cls.name] = cls

    # The three steps -----------------------------------------------------

    def required_permission(self) -> str:
        """The permission the acting user needs; ``permission`` by default."""
        return self.permission

    def check(self) -> None:
        needed = self.required_permission()
        if needed and self.user is not None and not self.user.has_perm(needed):
            raise PermissionDenied(f"You are not allowed to {self.describe()}.")

    def execute(self) -> Any:
        """Make the change; every action defines its own (or its own run())."""
        raise TypeError(f"{type(self).__name__} does not say what it changes.")

    def announce(self, result: Any) -> None:
        """After the commit: tell people. Nothing by default."""

    # Running ----------------------------------------------------------------

    def run(self) -> Any:
        self.check()
        with changes.collect(), transaction.atomic():
            result = self.execute()
            transaction.on_commit(lambda: self.announce(result), robust=True)
        return result

    def describe(self) -> str:
        """A few words for messages: "delete this post"."""
        return self.name.rsplit(".", 1)[-1].replace("_", " ")


def registered() -> dict[str, type[Action]]:
    """Every action, by name."""
    return dict(_registry)


@dataclass(frozen=True)
class ModelActions:
    """The actions that save and delete rows of one model.

    ``save(instance, user=…, change=…)`` and ``delete(instance, user=…)`` are
    Action classes called with those arguments.
    """

    save: type[Action] | None
    delete: type[Action] | None


_model_actions: dict[type[models.Model], ModelActions] = {}


def for_model(
    model: type[models.Model],
    *,
    save: type[Action] | None,
    delete: type[Action] | None,
) -> None:
    """Declare how rows of ``model`` are saved and deleted (from ``ready()``).

    ``None`` means that operation is not offered (a comment is never created
    from the admin; a setting is never deleted).
    """
    _model_actions[model] = ModelActions(save=save, delete=delete)


def model_actions(model: type[models.Model]) -> ModelActions | None:
    return _model_actions.get(model)


def declared_models() -> dict[type[models.Model], ModelActions]:
    return dict(_model_actions)


def model_permission(instance: models.Model, verb: str) -> str:
    """Django's permission for ``verb`` ("add", "change", "delete") on a row."""
    opts = instance._meta
    return f"{opts.app_label}.{verb}_{opts.model_name}"


class SaveObject(Action):
    """Save one row: the base of the plain "validate and save" actions.

    Subclasses add rules in ``check`` or ``validate`` and may extend
    ``execute``; the admin passes ``change`` (an edit rather than a creation).
    The acting user needs the model's add or change permission.
    """

    def required_permission(self) -> str:
        return model_permission(self.instance, "change" if self.change else "add")

    def __init__(self, instance: models.Model, *, user=None, change=None) -> None:
        super().__init__(user=user)
        self.instance = instance
        self.change = instance.pk is not None if change is None else change

    def validate(self) -> None:
        self.instance.full_clean()

    def check(self) -> None:
        super().check()
        self.validate()

    def execute(self) -> models.Model:
        self.instance.save()
        return self.instance


class DeleteObject(Action):
    """Delete one row (and what the database cascades to)."""

    def required_permission(self) -> str:
        return model_permission(self.instance, "delete")

    def __init__(self, instance: models.Model, *, user=None) -> None:
        super().__init__(user=user)
        self.instance = instance

    def execute(self) -> models.Model:
        self.instance.delete()
        return self.instance
