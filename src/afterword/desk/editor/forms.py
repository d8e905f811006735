"""The editor's form: the post's own fields and what the side panel links.

Works carry a rating and a spoiler flag each, sent as ``rating_<id>`` and
``spoiler_<id>`` beside the list of ``work`` ids; ``primary`` names the
primary work. The form only reads and checks what was sent: saving is
``desk.editor.saving``'s business, through the apps' actions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from afterword.catalog.models import Person, Work
from afterword.media.models import Image
from afterword.posts.models import Category, Post, Tag
from afterword.series.models import Series


class ScheduleInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": "60", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


@dataclass
class WorkLink:
    work: Work
    rating: str = ""
    spoilers: bool = False
    primary: bool = False


class EditorForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(label=_("Text"), required=False, strip=False)
    slug = forms.SlugField(
        label=_("Address (slug)"), max_length=200, required=False, allow_unicode=True
    )
    excerpt = forms.CharField(
        label=_("Excerpt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    published_at = forms.DateTimeField(
        label=_("Publish time"), required=False, widget=ScheduleInput()
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Post.Visibility.choices, initial="public"
    )
    password = forms.CharField(label=_("Password"), max_length=100, required=False)
    comments_open = forms.BooleanField(label=_("Comments open"), required=False)
    sticky = forms.BooleanField(label=_("Keep at the top"), required=False)
    tag = forms.ModelMultipleChoiceField(Tag.objects.all(), required=False)
    category = forms.ModelMultipleChoiceField(Category.objects.all(), required=False)
    featured_image = forms.ModelChoiceField(Image.objects.all(), required=False)
    series = forms.ModelChoiceField(Series.objects.all(), required=False)
    series_position = forms.IntegerField(
        label=_("Part number"), min_value=1, max_value=100_000, required=False
    )
    work = forms.ModelMultipleChoiceField(Work.objects.all(), required=False)
    person = forms.ModelMultipleChoiceField(Person.objects.all(), required=False)
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, post: Post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post

    def clean_body(self) -> str:
        return self.cleaned_data["body"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("visibility") == Post.Visibility.PASSWORD
            and not cleaned.get("password", "").strip()
        ):
            self.add_error("password", _("A password-protected post needs a password."))
        slug = cleaned.get("slug")
        if slug:
            clash = (
                Post.objects.filter(kind=Post.Kind.POST, slug=slug)
                .exclude(pk=self.post.pk)
                .values_list("title", flat=True)
                .first()
            )
            if clash is not None:
                self.add_error(
                    "slug",
                    _("Another post (“%(title)s”) already uses this address.")
                    % {"title": clash},
                )
        return cleaned

    def work_links(self) -> list[WorkLink]:
        """The linked works in the order sent, with their rating and flags."""
        data = self.data
        primary = data.get("primary", "")
        by_id = {work.pk: work for work in self.cleaned_data.get("work", [])}
        links, seen = [], set()
        for raw in data.getlist("work"):
            work = by_id.get(int(raw)) if raw.isdigit() else None
            if work is None or work.pk in seen:
                continue
            seen.add(work.pk)
            links.append(
                WorkLink(
                    work,
                    rating=data.get(f"rating_{work.pk}", "").strip(),
                    spoilers=bool(data.get(f"spoiler_{work.pk}")),
                    primary=primary == str(work.pk),
                )
            )
        return links
