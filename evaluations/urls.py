from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.EvaluationListView.as_view(), name="list"),
    path("new/<int:employee_pk>/", views.EvaluationCreateView.as_view(), name="create"),
    path("<int:pk>/", views.EvaluationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EvaluationUpdateView.as_view(), name="update"),
    path("<int:pk>/history/", views.EvaluationHistoryView.as_view(), name="history"),
    path("<int:pk>/refer/", views.ReferralCreateView.as_view(), name="refer"),
    path("referrals/", views.ReferralListView.as_view(), name="referral_list"),
    path("referrals/<int:pk>/reassign/", views.ReferralReassignView.as_view(), name="referral_reassign"),
    path("referrals/<int:pk>/history/", views.ReferralHistoryView.as_view(), name="referral_history"),
]
