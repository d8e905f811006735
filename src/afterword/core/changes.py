"""What readers can see, declared once; who depends on it, told once per commit.

Every model of the installation is declared here, by the app that owns it,
as either **public** (some row of it shows on a page a reader can fetch: a
post, a tag's name, an approved comment, a login button) or **internal**
(never shown to readers: revisions, the outbox, task rows), with the reason.
``tests/core/test_public_registry.py`` fails when a model is neither, so a new
model cannot quietly escape invalidation.

Changes to public rows are then *observed*, not reported: Django's
``pre_save``/``post_save``/``post_delete``/``m2m_changed`` signals are read
for every declared model, the changed rows are gathered while a transaction
is open, and once it commits one :data:`public_changes` signal carries them
all (a :class:`ChangeSet`). The page cache, the search index, comment threads
and catalog mentions each subscribe to it in their own ``apps.py``, so no
caller, admin class or importer ever has to remember to invalidate.

Writes that bypass Django's signals (``QuerySet.update``, ``bulk_create``)
are reported by the action that makes them with :func:`record`; grouping
many writes into one announcement is :func:`collect` (actions run inside it;
importers wrap a whole import in it).

One kind of listener cannot wait for the commit: a durable record of what
changed (the static build's journal) must be committed or rolled back with
the rows it names. :func:`record_in_transaction` registers one; it is called
as each change is gathered, inside the writing transaction.

A declaration may say when a row is visible (``visible``: a held comment or
a draft is not) and which fields never show (``quiet_fields``: signing in
stamps ``last_login``): a change is announced only if the row was visible
before or after it, so a reader posting a held comment, or a writer saving a
draft every few seconds, never empties the page cache for everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import Signal

public_changes = Signal()
"""Sent after a commit that changed public rows, with ``changes`` (a ChangeSet)."""


@dataclass(frozen=True)
class PublicModel:
    """A model some of whose rows readers see.

    ``visible(row)`` says whether one row is seen (default: every row);
    ``visible_fields`` are the fields it reads, loaded before a save so the
    old state can be judged too. ``quiet_fields`` never show anywhere: a save
    that touches only them is not a change. ``shown_on`` says where readers
    see the model, for the registry's documentation and tests.
    """

    model: type[models.Model]
    shown_on: str
    visible: Callable[[Any], bool] | None = None
    visible_fields: tuple[str, ...] = ()
    quiet_fields: frozenset[str] = frozenset()


@dataclass(frozen=True)
class InternalModel:
    model: type[models.Model]
    reason: str


_public: dict[type[models.Model], PublicModel] = {}
_internal: dict[type[models.Model], InternalModel] = {}
# Many-to-many tables of public models: a change there is a change of the
# model that declares the field (a post's tags).
_through: dict[type[models.Model], type[models.Model]] = {}


def public(
    model: type[models.Model],
    *,
    shown_on: str,
    visible: Callable[[Any], bool] | None = None,
    visible_fields: Iterable[str] = (),
    quiet_fields: Iterable[str] = (),
) -> None:
    """Declare that readers see rows of ``model`` (from an app's ``ready()``)."""
    declaration = PublicModel(
        model=model,
        shown_on=shown_on,
        visible=visible,
        visible_fields=tuple(visible_fields),
        quiet_fields=frozenset(quiet_fields),
    )
    _public[model] = declaration
    for many in model._meta.local_many_to_many:
        _through[many.remote_field.through] = model


def internal(model: type[models.Model], *, reason: str) -> None:
    """Declare that readers never see rows of ``model``, and why."""
    _internal[model] = InternalModel(model=model, reason=reason)


def public_models() -> dict[type[models.Model], PublicModel]:
    return dict(_public)


def internal_models() -> dict[type[models.Model], InternalModel]:
    return dict(_internal)


def declaration_of(model: type[models.Model]) -> PublicModel | None:
    """The public declaration covering ``model`` (a proxy uses its concrete one)."""
    found = _public.get(model)
    if found is None and model._meta.proxy:
        found = _public.get(model._meta.concrete_model)
    return found


# ---------------------------------------------------------------------------
# Gathering changes


@dataclass
class ChangeSet:
    """The public rows changed by one committed unit of work, by model.

    ``rows[model]`` maps each primary key to the instance as it was saved or
    deleted, or to None when only the key is known (bulk writes).
    """

    rows: dict[type[models.Model], dict[Any, models.Model | None]] = field(
        default_factory=dict
    )

    def add(self, model, pk, instance: models.Model | None = None) -> None:
        bucket = self.rows.setdefault(_concrete(model), {})
        if len(bucket) >= KEEP_INSTANCES:
            # A whole import is one announcement: past this many rows keep
            # only the keys, not every post's text in memory.
            instance = None
        if instance is not None or pk not in bucket:
            bucket[pk] = instance

    def merge(self, other: ChangeSet) -> None:
        for model, bucket in other.rows.items():
            for pk, instance in bucket.items():
                self.add(model, pk, instance)

    def __bool__(self) -> bool:
        return any(self.rows.values())

    def __contains__(self, model) -> bool:
        return bool(self.rows.get(_concrete(model)))

    def models(self) -> set[type[models.Model]]:
        return {model for model, bucket in self.rows.items() if bucket}

    def pks(self, model) -> set:
        return set(self.rows.get(_concrete(model), ()))

    def instances(self, model) -> list[models.Model]:
        """The changed rows of ``model`` whose instance is known."""
        bucket = self.rows.get(_concrete(model), {})
        return [instance for instance in bucket.values() if instance is not None]


def _concrete(model):
    return model._meta.concrete_model


# Rows per model whose instances an announcement keeps (see ChangeSet.add).
KEEP_INSTANCES = 1000

_collecting: ContextVar[ChangeSet | None] = ContextVar(
    "afterword_changes_collecting", default=None
)


@contextmanager
def collect() -> Iterator[ChangeSet]:
    """Gather every public change made in the block into one announcement.

    The announcement is sent once the surrounding transaction commits (at
    once in autocommit mode), and not at all if it rolls back. Nested blocks
    join the outermost one.
    """
    outer = _collecting.get()
    if outer is not None:
        yield outer
        return
    gathered = ChangeSet()
    token = _collecting.set(gathered)
    try:
        yield gathered
    finally:
        _collecting.reset(token)
        # Registered even when the block raised: a caller that catches the
        # error and commits must still announce what was written before it.
        transaction.on_commit(lambda: _announce(gathered), robust=True)


def record(model, pks: Iterable, instances: Iterable[models.Model] = ()) -> None:
    """Report public rows changed without Django's signals (bulk writes)."""
    if declaration_of(model) is None:
        return
    changes = ChangeSet()
    for pk in pks:
        changes.add(model, pk)
    for instance in instances:
        changes.add(model, instance.pk, instance)
    _gather(changes)


def _gather(changes: ChangeSet) -> None:
    """Add ``changes`` to the announcement under way, once they are committed.

    Going through ``on_commit`` even inside :func:`collect` means a change
    undone by a savepoint's rollback never reaches the announcement: Django
    drops the callbacks registered inside a rolled-back savepoint.
    """
    if not changes:
        return
    for writer in _in_transaction.values():
        writer(changes)
    current = _collecting.get()
    if current is not None:
        transaction.on_commit(lambda: current.merge(changes), robust=True)
    else:
        transaction.on_commit(lambda: _announce(changes), robust=True)


def _announce(changes: ChangeSet) -> None:
    if changes:
        public_changes.send(sender=ChangeSet, changes=changes)


# ---------------------------------------------------------------------------
# Reading Django's model signals

PREVIOUS = "_afterword_was_visible"


def _is_visible(declaration: PublicModel, instance) -> bool:
    return declaration.visible is None or bool(declaration.visible(instance))


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    declaration = declaration_of(sender)
    if declaration is None or declaration.visible is None or raw:
        return
    was = False
    if instance.pk is not None and not instance._state.adding:
        fields = declaration.visible_fields or ()
        old = (
            sender._base_manager.filter(pk=instance.pk).only(*fields).first()
            if fields
            else sender._base_manager.filter(pk=instance.pk).first()
        )
        was = old is not None and _is_visible(declaration, old)
    setattr(instance, PREVIOUS, was)


def _after_save(sender, instance, created=False, update_fields=None, raw=False, **kw):
    declaration = declaration_of(sender)
    if declaration is None or raw:
        return
    if update_fields is not None and set(update_fields) <= declaration.quiet_fields:
        return
    if declaration.visible is not None:
        was = getattr(instance, PREVIOUS, False)
        if not (was or _is_visible(declaration, instance)):
            return
    changes = ChangeSet()
    changes.add(sender, instance.pk, instance)
    _gather(changes)


def _after_delete(sender, instance, **kwargs) -> None:
    declaration = declaration_of(sender)
    if declaration is None or not _is_visible(declaration, instance):
        return
    changes = ChangeSet()
    changes.add(sender, instance.pk, instance)
    _gather(changes)


def _m2m(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    owner = _through.get(sender)
    if owner is None:
        return
    changes = ChangeSet()
    if not reverse:
        declaration = declaration_of(owner)
        if declaration is None or not _is_visible(declaration, instance):
            return
        changes.add(owner, instance.pk, instance)
    else:
        # ``tag.posts.add(post)``: the posts on the other side changed.
        for pk in pk_set or ():
            changes.add(owner, pk)
    _gather(changes)


def connect() -> None:
    """Listen to every model's signals; called once from ``CoreConfig.ready``."""
    pre_save.connect(_before_save, dispatch_uid="afterword-changes-pre-save")
    post_save.connect(_after_save, dispatch_uid="afterword-changes-post-save")
    post_delete.connect(_after_delete, dispatch_uid="afterword-changes-post-delete")
    m2m_changed.connect(_m2m, dispatch_uid="afterword-changes-m2m")


def subscribe(receiver: Callable[[ChangeSet], None], *, uid: str) -> None:
    """Call ``receiver(changes)`` after each commit that changed public rows."""

    def adapter(sender, changes: ChangeSet, **kwargs) -> None:
        receiver(changes)

    # Kept alive by the registry: the signal only holds a weak reference.
    _subscribers[uid] = adapter
    public_changes.connect(adapter, dispatch_uid=uid, weak=False)


_subscribers: dict[str, Callable] = {}


def record_in_transaction(writer: Callable[[ChangeSet], None], *, uid: str) -> None:
    """Call ``writer(changes)`` as each change is made, inside its transaction.

    For a durable record of what changed (the static build's journal): it is
    written, or rolled back, with the rows it speaks of, so no crash between a
    commit and an announcement can lose it. ``writer`` may only write to the
    database; effects outside it belong in :func:`subscribe`.
    """
    _in_transaction[uid] = writer


_in_transaction: dict[str, Callable[[ChangeSet], None]] = {}
