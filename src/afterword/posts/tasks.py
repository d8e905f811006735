"""Background work of the posts app."""

from django_tasks import task


@task()
def publish_due_posts() -> int:
    from .actions import publish_due

    return len(publish_due())
