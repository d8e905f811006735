"""``afterword db_worker``: django-tasks-db's worker, holding a lease while it runs.

Same options and behaviour as the library's command (this one takes its name
because ``afterword.taskworker`` comes before ``django_tasks_db`` in
``INSTALLED_APPS``), plus what ``afterword.taskworker`` describes: a lease
renewed by a heartbeat, recovery of dead workers' tasks at start and on every
beat, and the lease given back (with anything still claimed) on the way out.
"""

from __future__ import annotations

import logging
import os

from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as LibraryCommand

from afterword.taskworker import leases

logger = logging.getLogger(__name__)


class Command(LibraryCommand):
    help = (
        "Run the background task worker; a task whose worker died is taken up "
        "again (AFTERWORD_TASK_LEASE)."
    )

    def handle(self, *args, reload: bool, batch: bool, worker_id: str, **options):
        if reload and not batch and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The autoreloader's parent only watches files; the child process
            # it starts runs this command again and takes the lease.
            return super().handle(
                *args, reload=reload, batch=batch, worker_id=worker_id, **options
            )
        leases.set_current_worker(worker_id)
        leases.register(worker_id)
        leases.recover()
        # Inside a caller's transaction (a test running the worker in-process)
        # another connection could not see the lease: beat in-line only.
        heartbeat = None
        if not connection.in_atomic_block:
            heartbeat = leases.Heartbeat(worker_id)
            heartbeat.start()
        try:
            return super().handle(
                *args, reload=reload, batch=batch, worker_id=worker_id, **options
            )
        finally:
            if heartbeat is not None:
                heartbeat.stop()
            leases.set_current_worker("")
            try:
                leases.release(worker_id)
            except Exception:
                # The database is gone: the lease will expire instead.
                logger.exception("Could not give back the lease of %s", worker_id)
