from django.urls import path

from trajectories import views

app_name = "trajectories"

urlpatterns = [
    path("", views.TrajectoryListView.as_view(), name="list"),
    path("starten/doorverwijzing/<int:pk>/", views.StartFromReferralView.as_view(), name="start_from_referral"),
    path("starten/opzoeken/<int:pk>/", views.StartFromLookupView.as_view(), name="start_from_lookup"),
    path("werk-op-te-volgen/", views.AwaitingJobView.as_view(), name="awaiting_job"),
    path("werk-opvolgen/<int:months>-maanden/", views.JobFollowUpView.as_view(), name="job_follow_up"),
    path("werk-opvolgen/<int:pk>/registreren/", views.JobFollowUpRecordView.as_view(), name="job_follow_up_record"),
    path("voorbij-geplande-einddatum/", views.PastPlannedEndView.as_view(), name="past_planned_end"),
    path("stages/te-lang/", views.InternshipsTooLongView.as_view(), name="internships_too_long"),
    path("zonder-doorverwijzing/", views.AccessReviewView.as_view(), name="access_review"),
    path("<int:pk>/toegang-intrekken/", views.withdraw_access, name="withdraw_access"),
    path("<int:pk>/", views.TrajectoryDetailView.as_view(), name="detail"),
    path("<int:pk>/bewerken/", views.TrajectoryUpdateView.as_view(), name="update"),
    path("<int:pk>/beeindigen/", views.TrajectoryEndView.as_view(), name="end"),
    path("<int:pk>/geschiedenis/", views.TrajectoryHistoryView.as_view(), name="history"),
    path("<int:trajectory_pk>/stages/nieuw/", views.InternshipCreateView.as_view(), name="internship_create"),
    path("stages/", views.InternshipListView.as_view(), name="internship_list"),
    path("stages/<int:pk>/bewerken/", views.InternshipUpdateView.as_view(), name="internship_update"),
    path("stages/<int:pk>/geschiedenis/", views.InternshipHistoryView.as_view(), name="internship_history"),
]
