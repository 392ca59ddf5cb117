from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotti.organisations.models import Organisation


class DisclosureForm(forms.Form):
    recipient = forms.CharField(label=_("Sent to"), max_length=200)
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=300, help_text=_("E.g. the person's consent, or the section of law.")
    )
    what = forms.CharField(
        label=_("What was sent"), max_length=300, help_text=_("Describe the data; do not write the person's name.")
    )
    disclosed_on = forms.DateField(label=_("Sent on"), initial=timezone.localdate)


# django-stubs makes the base generic; subscripting it at run time needs django-stubs-ext, which
# only the development install has.
class RightsPolicyForm(forms.ModelForm):  # type: ignore[type-arg]  # django-stubs' ModelForm is generic; the model is named in Meta
    class Meta:
        model = Organisation
        fields = ["retention_years_after_programme", "statutory_retention_years", "erasure_policy"]
