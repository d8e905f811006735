"""The task worker: django-tasks-db's ``db_worker``, made safe to kill.

The library's worker claims a task by marking it RUNNING and never looks at
it again; a worker killed mid-task (SIGKILL, out of memory, a lost machine)
leaves it RUNNING for ever. This app wraps the command (``afterword
db_worker``, same options) without changing the library:

* **A lease per worker process.** Before its first claim a worker writes a
  ``WorkerLease`` row (its worker id, the one django-tasks-db records in each
  task it claims, plus host and pid) that expires ``AFTERWORD_TASK_LEASE``
  seconds later (default 60). A heartbeat thread renews it every quarter of
  that, whatever the task is doing, so a task may run longer than the lease.
* **Recovery by any worker.** At start and on every heartbeat each worker
  looks for expired leases; the first to delete one puts that worker's
  RUNNING tasks back to READY in the same transaction, and sends
  ``signals.workers_lost`` so apps release rows they marked as claimed by it
  (the outbox puts its ``sending`` emails back to ``pending``). One worker or
  many, on one machine or several, each task is taken up again once.
* **A clean stop gives everything back** at once instead of waiting for the
  lease to expire.

The lease time is a trade-off. A crashed worker's task waits up to one lease
(plus a quarter, for the next heartbeat elsewhere) before it runs again, so a
shorter lease recovers faster. But a worker that cannot renew for a whole
lease (a frozen virtual machine, a database unreachable for that long, a task
holding Python's GIL in C code for that long) is taken for dead while it may
still be working: its task can start elsewhere. When such a worker comes back
it finds its lease gone and stops itself immediately (``leases.fence``), and
the outbox's claim keeps an email from being sent twice in that window, but
other tasks must tolerate it. Keep the lease well above the longest pause you
expect; 60 s suits one server with SQLite or a nearby PostgreSQL.
"""
