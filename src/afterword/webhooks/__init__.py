"""Webhooks: the site tells other servers what happened, signed, exactly once.

An administrator registers addresses in the desk (Settings → Webhooks), each
listening to some of five events: ``post.published``, ``post.updated``,
``post.deleted``, ``comment.held`` and ``comment.approved``. When one
happens, each listening webhook gets a :class:`~.models.WebhookDelivery`
row and a background task posts it as JSON, signed with the webhook's secret
(``signing``; docs/webhooks.md says how a receiver checks it).

Where events come from (``receivers``, connected in ``apps``): the posts
app's ``post_went_live``, the committed changes of posts announced by
``core.changes``, and the discussion app's ``comment_held`` and
``comment_approved``. Only what readers can already see leaves the site
(``events``): a private, unlisted, password-protected or draft post, and the
comments under it, send nothing.

Delivery (``delivery``, run by ``tasks``) is modelled on the outbox:

* **Never twice.** A delivery is unique per webhook and event id; a worker
  claims it with a conditional UPDATE before posting, so two workers, or a
  task run twice, cannot both post it, and a delivered row is never claimed
  again.
* **Retried.** Anything but a 2xx answer (another status, a timeout, an
  address refused by ``core.outbound``) puts the row back to ``pending``
  with a growing delay (``AFTERWORD_WEBHOOK_RETRY_DELAYS``: 1 min, 5 min,
  30 min, 2 h, 12 h); after the last it is ``failed``.
* **Not lost with its worker.** The claim names the task worker; when that
  worker dies the others notice (``afterword.taskworker``) and put the row
  back to ``pending``.

Modules: ``events`` (what a payload says), ``receivers`` (announcements to
events), ``services`` (queue), ``tasks`` (the task, and the only place that
enqueues it), ``delivery`` (claim, post, record), ``signing``, ``actions``.
"""
