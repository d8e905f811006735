from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from afterword.series.models import Series, SeriesPart


class SeriesForm(forms.ModelForm):
    class Meta:
        model = Series
        fields = ["title", "description", "title_pattern", "slug"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        labels = {
            "title": _("Title"),
            "description": _("Description (Markdown)"),
            "title_pattern": _("Title pattern"),
            "slug": _("Slug"),
        }
        help_texts = {
            "title_pattern": _(
                "How a part's title is shown in the series: {series}, {n} and "
                "{title} are replaced. Leave empty to show the post's own title."
            ),
            "slug": _("The page's address. Empty: made from the title."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug:
            return slug
        made = slugify(self.data.get(self.add_prefix("title"), ""))[:200]
        if not made:
            raise forms.ValidationError(
                _("Give an address (letters, numbers and hyphens) for its page.")
            )
        return made


class PartForm(forms.ModelForm):
    class Meta:
        model = SeriesPart
        fields = ["position", "planned_title", "expected_date"]
        widgets = {"expected_date": forms.DateInput(attrs={"type": "date"})}
        labels = {
            "position": _("Position"),
            "planned_title": _("Planned title"),
            "expected_date": _("Expected date"),
        }
        help_texts = {
            "position": _("Parts are listed by this number, smallest first."),
            "planned_title": _("Working title of a part that is not written yet."),
            "expected_date": _(
                "When the part is expected; readers see the month only."
            ),
        }


PartFormSet = forms.modelformset_factory(
    SeriesPart, form=PartForm, extra=1, can_delete=True
)
