"""Forms of the subscriptions app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Subscriber


class FollowForm(forms.Form):
    email = forms.CharField(max_length=254)
    target = forms.CharField(max_length=40)


class PreferencesForm(forms.Form):
    targets = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Email me about")
    )
    frequency = forms.ChoiceField(
        choices=Subscriber.Frequency.choices,
        widget=forms.RadioSelect,
        label=_("How often"),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = choices
