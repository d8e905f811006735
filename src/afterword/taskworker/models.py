"""One row per running task worker process: its lease on the tasks it claims."""

from django.db import models


class WorkerLease(models.Model):
    # The id django-tasks-db records in each claimed task's ``worker_ids``.
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    renewed_at = models.DateTimeField()
    # Past this time, any worker may take this one's tasks back.
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "worker lease"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname} pid {self.pid})"
