from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import APITokenScope


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class EnrolmentCodeForm(forms.Form):
    """The single-use code another administrator issued, asked before an authenticator app is linked."""

    enrolment_code = forms.CharField(
        label=_("Enrolment code"),
        max_length=40,
        help_text=_("The code another administrator gave you (for example ABCD-EFGH-JKMN-PQRS)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
    )


class IssueEnrolmentCodeForm(forms.Form):
    """Issuing a code needs no input: the form is the confirmation (and carries the CSRF token)."""


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length checked before anyone tries to log in with it.

    Django sets the field's max_length after it is made, so no validator checks it: a 10,000-character
    user name reached authenticate(), and django-axes' record of the failed login (a 255-character
    column) made PostgreSQL answer with a 500. Now the form refuses it, in Dutch, and nothing is recorded.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class APITokenForm(forms.Form):
    """A new personal API key: what it is for, how long it works, whether it may write."""

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the key is for, e.g. the name of your system.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=366,
        initial=90,
        help_text=_("At most a year; make a new key before this one expires."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=APITokenScope.choices, initial=APITokenScope.READ)


class RevokeAPITokenForm(forms.Form):
    """Revoking needs no input: the form is the confirmation (and carries the CSRF token)."""
