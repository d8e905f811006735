"""An inline used to check that other apps can add theirs to the post form."""

from django.contrib import admin

from afterword.posts.models import Revision


class RevisionNotesInline(admin.TabularInline):
    model = Revision
    fields = ["note"]
    extra = 0
    max_num = 0
    can_delete = False
