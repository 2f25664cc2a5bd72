from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "aanmelden/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("code/", views.otp_verify, name="otp_verify"),
    path("code/instellen/", views.otp_setup, name="otp_setup"),
    path("code/inschrijven/<int:pk>/", views.otp_enrolment_issue, name="otp_enrolment_issue"),
    path("api-sleutels/", views.api_tokens, name="api_tokens"),
    path("api-sleutels/<int:pk>/intrekken/", views.api_token_revoke, name="api_token_revoke"),
]
