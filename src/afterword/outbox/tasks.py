"""Background delivery of queued email (run by ``afterword db_worker``)."""

from django_tasks import task


@task()
def send_email(email_id: int) -> bool:
    """Send one queued email; failures re-enqueue this task with a delay."""
    from .services import deliver

    return deliver(email_id)


@task()
def deliver_pending_emails(limit: int = 100) -> int:
    """Sweep the outbox for due pending emails whose own task went missing."""
    from .services import deliver_pending

    return deliver_pending(limit)
