from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from afterword.catalog.models import Person, Work


class SlugFromNameMixin:
    """An empty address is made from the title or name."""

    source_field = "title"

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug:
            return slug
        made = slugify(self.data.get(self.add_prefix(self.source_field), ""))[:200]
        if not made:
            raise forms.ValidationError(
                _("Give an address (letters, numbers and hyphens) for its page.")
            )
        return made


class WorkForm(SlugFromNameMixin, forms.ModelForm):
    class Meta:
        model = Work
        fields = [
            "title",
            "original_title",
            "alternative_titles",
            "kind",
            "year",
            "runtime",
            "country",
            "synopsis",
            "slug",
        ]
        widgets = {
            "alternative_titles": forms.Textarea(attrs={"rows": 3}),
            "synopsis": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "title": _("Title"),
            "original_title": _("Original title"),
            "alternative_titles": _("Alternative titles"),
            "kind": _("Kind"),
            "year": _("Year"),
            "runtime": _("Runtime (minutes)"),
            "country": _("Country"),
            "synopsis": _("Synopsis"),
            "slug": _("Slug"),
        }
        help_texts = {
            "alternative_titles": _("One per line."),
            "synopsis": _("In the site's own words."),
            "slug": _("The page's address. Empty: made from the title."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False


class PersonForm(SlugFromNameMixin, forms.ModelForm):
    source_field = "name"

    class Meta:
        model = Person
        fields = ["name", "native_name", "alternative_names", "bio", "links", "slug"]
        widgets = {
            "alternative_names": forms.Textarea(attrs={"rows": 3}),
            "bio": forms.Textarea(attrs={"rows": 5}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "name": _("Name"),
            "native_name": _("Native-script name"),
            "alternative_names": _("Alternative names"),
            "bio": _("Short bio"),
            "links": _("Links"),
            "slug": _("Slug"),
        }
        help_texts = {
            "native_name": _("e.g. 今 敏"),
            "alternative_names": _("One per line."),
            "links": _("Web addresses about this person, one per line (sameAs)."),
            "slug": _("The page's address. Empty: made from the name."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
