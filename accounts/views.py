"""The home page: what each role can do."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.roles import Role, role_of


@login_required
def home(request):
    """Show the signed-in user the tasks of their role."""
    role = role_of(request.user)
    template = {
        Role.EVALUATOR: "accounts/home_evaluator.html",
        Role.PARTNER_STAFF: "accounts/home_partner.html",
        Role.ADMINISTRATOR: "accounts/home_administrator.html",
        Role.ANALYST: "accounts/home_analyst.html",
    }.get(role, "accounts/home_no_role.html")
    return render(request, template, {"role": role})
