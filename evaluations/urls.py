from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.EvaluationListView.as_view(), name="list"),
    path("klaar-niet-doorverwezen/", views.ReadyUnreferredListView.as_view(), name="ready_unreferred"),
    path("nieuw/<int:employee_pk>/", views.EvaluationCreateView.as_view(), name="create"),
    path("<int:pk>/", views.EvaluationDetailView.as_view(), name="detail"),
    path("<int:pk>/bewerken/", views.EvaluationUpdateView.as_view(), name="update"),
    path("<int:pk>/geschiedenis/", views.EvaluationHistoryView.as_view(), name="history"),
    path("<int:pk>/doorverwijzen/", views.ReferralCreateView.as_view(), name="refer"),
    path("doorverwijzingen/", views.ReferralListView.as_view(), name="referral_list"),
    path("doorverwijzingen/onbeantwoord/", views.OverdueReferralListView.as_view(), name="referral_overdue"),
    path("doorverwijzingen/niet-opgenomen/", views.NotTakenUpReferralListView.as_view(), name="referral_not_taken_up"),
    path("doorverwijzingen/<int:pk>/", views.ReferralDetailView.as_view(), name="referral_detail"),
    path("doorverwijzingen/<int:pk>/weigeren/", views.ReferralDeclineView.as_view(), name="referral_decline"),
    path("doorverwijzingen/<int:pk>/intrekken/", views.ReferralWithdrawView.as_view(), name="referral_withdraw"),
    path("doorverwijzingen/<int:pk>/herverdelen/", views.ReferralReassignView.as_view(), name="referral_reassign"),
    path("doorverwijzingen/<int:pk>/geschiedenis/", views.ReferralHistoryView.as_view(), name="referral_history"),
]
