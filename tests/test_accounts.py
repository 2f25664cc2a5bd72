"""Login, logout and the home page of each role."""

import pytest
from django.urls import reverse

from accounts.roles import Role


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_login_page_is_in_dutch_by_default(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()


@pytest.mark.parametrize(
    ("fixture", "expected_text"),
    [
        ("evaluator", "evaluation"),
        ("partner_staff", "trajectory"),
        ("administrator", "administration"),
        ("analyst", "reports"),
    ],
)
def test_each_role_sees_its_own_home_page(client, request, fixture, expected_text):
    user = request.getfixturevalue(fixture)
    user.language = "en"  # the user's own choice: the browser's language is not followed
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert expected_text in response.content.decode().lower()


def test_demo_accounts_log_in_with_printed_passwords(client, db):
    from demo.accounts import DEMO_ACCOUNTS, create_demo_accounts
    from tests.factories import PartnerFactory

    PartnerFactory()
    create_demo_accounts()
    from accounts.models import User
    from accounts.otp import confirmed_device, current_code

    for username, password, role, *_ in DEMO_ACCOUNTS:
        response = client.post(reverse("accounts:login"), {"username": username, "password": password})
        assert response.status_code == 302, username
        response = client.get(reverse("home"))
        if role == Role.ADMINISTRATOR:
            # The demo administrator confirms the code of the device create_demo_accounts made.
            assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp_verify"))
            device = confirmed_device(User.objects.get(username=username))
            client.post(reverse("accounts:otp_verify"), {"code": current_code(device)})
            response = client.get(reverse("home"))
        assert response.status_code == 200
        assert response.context["role"] == role
        client.logout()


def test_wrong_password_is_refused(client, evaluator):
    response = client.post(reverse("accounts:login"), {"username": evaluator.username, "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_role_groups_exist_after_migrations(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    admin_group = Group.objects.get(name=Role.ADMINISTRATOR)
    assert admin_group.permissions.filter(codename="change_trajectory").exists()
    evaluator_group = Group.objects.get(name=Role.EVALUATOR)
    assert evaluator_group.permissions.filter(codename="add_evaluation").exists()
    assert not evaluator_group.permissions.filter(codename="change_trajectory").exists()
