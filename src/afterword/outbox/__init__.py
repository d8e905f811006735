"""The outbox: every email Afterword sends goes through here.

Apps never talk to SMTP themselves. They call
:func:`afterword.outbox.services.queue_email` inside their own transaction;
that stores an :class:`~afterword.outbox.models.OutgoingEmail` row and
enqueues the background task that sends it, in the same transaction (the
task queue is the database too), so an email exists exactly when the change
that caused it was committed.

Guarantees:

* **Never in the request.** Sending happens in the task worker
  (``afterword db_worker``), through Django's mail backend (``EMAIL_*``
  settings; SMTP in production).
* **Never twice.** Each email has a unique idempotency key chosen by the
  caller (for example ``"comment-reply:42:alice@example.org"``): queueing the
  same key again returns the existing row. A worker claims a row with a
  conditional ``UPDATE ... WHERE status = 'pending'`` before sending, so two
  workers (or a task run twice) cannot both send it.
* **Retried.** An SMTP or network failure puts the row back to ``pending``
  with a growing delay (``AFTERWORD_OUTBOX_RETRY_DELAYS``) and re-enqueues the
  task with ``run_after``; after the last delay it is marked ``failed`` and
  shown in the admin with its last error.
"""
