"""Imported posts' old permalinks (``Post.legacy_url``) become redirects.

Before this app, the portability middleware looked those up in the posts
table; now every old address is a ``Redirect``. The spelling is the one
``redirects.paths`` uses (decoded, with the trailing slash), written out
here so this migration keeps meaning what it meant.
"""

from urllib.parse import unquote, urlsplit

from django.db import migrations
from django.utils import timezone


def spelled(address: str) -> str:
    parts = urlsplit(address)
    path = unquote(parts.path or "/")
    last = path.rsplit("/", 1)[-1]
    if last and "." not in last:
        path += "/"
    query = unquote(parts.query)
    return f"{path}?{query}" if query else path


def forwards(apps, schema_editor):
    Post = apps.get_model("posts", "Post")
    Redirect = apps.get_model("redirects", "Redirect")
    now = timezone.now()
    seen = set(Redirect.objects.values_list("old_path", flat=True))
    batch = []
    for pk, address in (
        Post.objects.exclude(legacy_url="")
        .order_by("pk")
        .values_list("pk", "legacy_url")
    ):
        if urlsplit(address).path in ("", "/") or not address.startswith("/"):
            continue
        old = spelled(address)
        if old in seen or len(old) > 500:
            continue
        seen.add(old)
        batch.append(
            Redirect(old_path=old, target_post_id=pk, source="imported", created_at=now)
        )
    Redirect.objects.bulk_create(batch, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("redirects", "0001_initial"),
        ("posts", "0004_visibility_roles_unicode_slugs"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
