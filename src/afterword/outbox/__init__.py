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
* **Retried.** Any failure before the server accepted the message (an SMTP
  or network error, but also a header that cannot be built or a database
  error after the claim) puts the row back to ``pending`` with a growing
  delay (``AFTERWORD_OUTBOX_RETRY_DELAYS``) and the error, and re-enqueues
  the task with ``run_after``; after the last delay it is marked ``failed``
  and shown in the admin with its last error.
* **Not lost with its worker.** The claim names the task worker; when that
  worker dies, the others notice (``afterword.taskworker``) and put the row
  back to ``pending``.
* **One Message-ID per email**, the same on every attempt (derived from the
  key), so the rare repeat (a worker killed between the server's "250" and
  the ``sent`` update) is one message to mail clients.

Modules: ``services`` (queue, retry), ``tasks`` (the tasks, and the only
place that enqueues them), ``delivery`` (claim, send, record).
"""
