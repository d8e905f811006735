from django import forms
from django.utils.translation import gettext_lazy as _

from .query import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def query(self) -> str:
        """The cleaned query, or '' when the form is empty or invalid."""
        if not self.is_valid():
            # Too long: search its opening rather than refuse the reader.
            return (self.data.get("q") or "")[:MAX_QUERY_CHARS].strip()
        return self.cleaned_data["q"]
