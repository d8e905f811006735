from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from afterword.series.models import Series, SeriesPart


class SeriesForm(forms.ModelForm):
    class Meta:
        model = Series
        fields = ["title", "description", "title_pattern", "slug"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"slug": _("The page's address. Empty: made from the title.")}

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


PartFormSet = forms.modelformset_factory(
    SeriesPart, form=PartForm, extra=1, can_delete=True
)
