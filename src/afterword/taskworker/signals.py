"""Signals of the task worker; apps connect to them in their ``ready()``.

``workers_lost(sender, worker_ids)``
    Sent when task workers are known to be gone: their lease expired (killed,
    or their machine went away) or they stopped. ``worker_ids`` lists them.
    It is sent inside the transaction that puts their running tasks back in
    the queue, so an app that marks its own rows as claimed by a worker (the
    outbox does) releases them in that same transaction. A receiver must be
    quick and must not fail: it runs in every worker's recovery pass.
"""

from django.dispatch import Signal

workers_lost = Signal()
