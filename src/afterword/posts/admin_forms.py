"""The post form of the admin: Markdown editor widget, schedule picker, checks.

The admin runs the save action's checks (``posts.actions.SavePost``) as part
of the form's validation (``core.admin.ActionAdmin``), so a refusal (an image
without alt text, a scheduled post without a time, a slug already taken)
comes back as a form error with everything the writer typed still in it.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from .models import Post


class MarkdownEditor(forms.Textarea):
    """A textarea with a live preview pane and image upload beside it.

    Without JavaScript it is a plain textarea and the form saves as usual.
    The script finds its endpoints in ``data-`` attributes: no inline code,
    as the site's Content Security Policy allows none.
    """

    template_name = "admin/posts/widgets/markdown_editor.html"

    class Media:
        css = {"all": ["posts/editor.css"]}
        js = ["posts/editor.js"]

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"rows": 24, "class": "afterword-editor-source", **(attrs or {})}
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        urls = {
            "preview_url": "admin:posts_post_preview",
            "upload_url": "admin:media_image_upload",
            "choices_url": "admin:media_image_choices",
            "figure_url": "admin:media_image_figure",
        }
        for key, name in urls.items():
            try:
                context["widget"][key] = reverse(name)
            except NoReverseMatch:
                # Outside the admin (no URLs mounted) it stays a plain textarea.
                context["widget"][key] = ""
        return context


class ScheduleInput(forms.DateTimeInput):
    """The browser's own date-and-time picker, to the second, in site time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S"
        )


class PostAdminForm(forms.ModelForm):
    """The editing form for posts and pages."""

    kind = Post.Kind.POST

    published_at = forms.DateTimeField(
        label="Publish time",
        required=False,
        widget=ScheduleInput(),
        help_text=(
            "In the site's time zone. With status “Scheduled”, the post goes "
            "live at this time on its own; a time already past publishes it now."
        ),
    )
    revision_note = forms.CharField(
        label="Note for this revision",
        required=False,
        max_length=200,
        help_text="Optional: what changed, shown in the revision history.",
    )

    class Meta:
        model = Post
        fields = [
            "title",
            "slug",
            "body",
            "excerpt",
            "status",
            "published_at",
            "visibility",
            "password",
            "author",
            "sticky",
            "comments_open",
            "tags",
            "categories",
            "featured_image",
        ]
        widgets = {"body": MarkdownEditor()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.kind = self.kind
        if "status" in self.fields and self.instance.status != Post.Status.TRASH:
            # Into the trash only through TrashPost, which remembers the
            # status to restore.
            self.fields["status"].choices = [
                (value, label)
                for value, label in self.fields["status"].choices
                if value != Post.Status.TRASH
            ]
        if "body" in self.fields:
            self.fields["body"].widget = MarkdownEditor()
        if "visibility" in self.fields:
            # A form sent without it (a script, an older page) keeps the
            # post's visibility rather than failing.
            self.fields["visibility"].required = False
        if "password" in self.fields:
            # Shown in plain text, as WordPress does: the writer shares it.
            self.fields["password"].widget = forms.TextInput(
                attrs={"autocomplete": "off"}
            )
            self.fields["password"].help_text = (
                "Readers must type it to read the post; only used with "
                "“Password protected”. Changing it locks out everyone who "
                "had the old one."
            )

    def clean_visibility(self) -> str:
        return (
            self.cleaned_data.get("visibility")
            or self.instance.visibility
            or Post.Visibility.PUBLIC
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug", "")
        clash = (
            Post.objects.filter(kind=self.instance.kind, slug=slug)
            .exclude(pk=self.instance.pk)
            .values_list("title", flat=True)
            .first()
        )
        if clash is not None:
            noun = "page" if self.instance.kind == Post.Kind.PAGE else "post"
            raise ValidationError(
                f"Another {noun} (“{clash}”) already uses the address “{slug}”. "
                "Choose a different slug.",
                code="slug_taken",
            )
        if self.instance.kind == Post.Kind.PAGE and not _is_free_page_address(slug):
            raise ValidationError(
                f"The address /{slug}/ belongs to the site itself. "
                "Choose a different slug.",
                code="slug_reserved",
            )
        return slug


def _is_free_page_address(slug: str) -> bool:
    """Whether /<slug>/ reaches the page view rather than another route."""
    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return True
    return match.view_name == "pages:page"
