"""Followers in the admin: the list of addresses, counts per target, CSV.

The subscriber list shows, above it, how many confirmed followers each target
has (and how many still have to confirm), with a link to download the same
table as CSV.
"""

from __future__ import annotations

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path, reverse

from afterword.core.spreadsheets import neutralise

from . import services
from .models import Follow, Subscriber


class FollowInline(admin.TabularInline):
    model = Follow
    extra = 0
    fields = ["target", "created_at", "confirmed_at"]
    readonly_fields = ["created_at"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "frequency",
        "confirmed_at",
        "unsubscribed_at",
        "created_at",
    ]
    list_filter = ["frequency", ("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    inlines = [FollowInline]

    def get_urls(self):
        counts = self.admin_site.admin_view(self.counts_csv)
        return [
            path("counts.csv", counts, name="subscriptions_subscriber_counts_csv"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "follower_counts": services.follower_counts(),
            "counts_csv_url": reverse("admin:subscriptions_subscriber_counts_csv"),
        }
        return super().changelist_view(request, extra_context)

    def counts_csv(self, request):
        """Followers per target as CSV, for a spreadsheet."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="followers.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["target", "name", "confirmed followers", "awaiting confirmation"]
        )
        for count in services.follower_counts():
            name = neutralise(count.target.name)  # a title must not run as a formula
            writer.writerow([count.target.key, name, count.confirmed, count.pending])
        return response
