from django.urls import path

from trajectories import views

app_name = "trajectories"

urlpatterns = [
    path("", views.TrajectoryListView.as_view(), name="list"),
    path("start/referral/<int:pk>/", views.StartFromReferralView.as_view(), name="start_from_referral"),
    path("start/lookup/<int:pk>/", views.StartFromLookupView.as_view(), name="start_from_lookup"),
    path("access-review/", views.AccessReviewView.as_view(), name="access_review"),
    path("<int:pk>/withdraw-access/", views.withdraw_access, name="withdraw_access"),
    path("<int:pk>/", views.TrajectoryDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.TrajectoryUpdateView.as_view(), name="update"),
    path("<int:pk>/end/", views.TrajectoryEndView.as_view(), name="end"),
    path("<int:pk>/history/", views.TrajectoryHistoryView.as_view(), name="history"),
    path("<int:trajectory_pk>/internships/new/", views.InternshipCreateView.as_view(), name="internship_create"),
    path("internships/", views.InternshipListView.as_view(), name="internship_list"),
    path("internships/<int:pk>/edit/", views.InternshipUpdateView.as_view(), name="internship_update"),
    path("internships/<int:pk>/history/", views.InternshipHistoryView.as_view(), name="internship_history"),
]
