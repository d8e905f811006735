from django import forms

from afterword.theme.models import SiteAppearance


class AppearanceForm(forms.ModelForm):
    class Meta:
        model = SiteAppearance
        fields = [
            "site_title",
            "tagline",
            "accent_colour",
            "footer_text",
            "show_series_box",
            "colour_scheme",
        ]
        widgets = {
            "accent_colour": forms.TextInput(
                attrs={"placeholder": "#8a2b17", "spellcheck": "false"}
            ),
            "colour_scheme": forms.RadioSelect,
        }
