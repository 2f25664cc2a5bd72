"""Form fields for identifiers typed with separators (common/forms.py)."""

import pytest
from django import forms
from django.utils import translation

from common.forms import KBOFormField
from employees.forms import EmployeeForm
from partners.models import Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kbo_number", "kind", "postcode"]
        field_classes = {"kbo_number": KBOFormField}


def _employee_form(insz):
    return EmployeeForm({"insz": insz, "first_name": "An", "last_name": "Peeters", "registered_on": "2019-01-01"})


def test_insz_typed_with_separators_is_accepted_and_stored_compact(db):
    form = _employee_form("85.07.30-033.28")
    assert form.is_valid(), form.errors
    assert form.save().insz == "85073003328"


def test_insz_typed_with_separators_and_wrong_check_digits_is_refused_in_dutch(db):
    with translation.override("nl"):
        form = _employee_form("85.07.30-033.27")
        assert not form.is_valid()
        assert form.errors["insz"] == ["De controlecijfers van INSZ-nummer 85073003327 kloppen niet."]
    assert form["insz"].value() == "85.07.30-033.27"  # re-shown as typed


def test_a_plain_form_field_would_refuse_the_typed_insz_on_its_length(db):
    class PlainForm(forms.Form):
        insz = forms.CharField(max_length=11)

    form = PlainForm({"insz": "85.07.30-033.28"})
    assert not form.is_valid()
    assert list(form.errors) == ["insz"]


@pytest.mark.parametrize("typed", ["BE 0403.170.701", "0403 170 701", "403170701"])
def test_kbo_typed_as_on_a_letterhead_is_accepted(db, typed):
    form = OrganisationForm(
        {"name": "Maatwerk Gent vzw", "kbo_number": typed, "kind": "se_employer", "postcode": "9000"}
    )
    assert form.is_valid(), form.errors
    assert form.save().kbo_number == "0403170701"


def test_kbo_that_is_too_long_after_normalising_is_refused(db):
    form = OrganisationForm({"name": "X", "kbo_number": "BE 0403.170.701.1", "kind": "se_employer", "postcode": "9000"})
    assert not form.is_valid()
    assert "kbo_number" in form.errors


def test_the_browser_may_take_the_longer_typed_form():
    assert EmployeeForm()["insz"].field.widget.attrs["maxlength"] == "20"
    assert OrganisationForm()["kbo_number"].field.widget.attrs["maxlength"] == "20"
