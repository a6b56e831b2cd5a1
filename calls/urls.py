from django.urls import include, path

from calls import views
from calls.metrics import views as views_metrics
from calls.review import views as views_review

urlpatterns = [
    path("calls/live/", views.live, name="calls_live"),
    path("calls/live/lists/", views.live_lists, name="calls_live_lists"),
    path("calls/live/<int:pk>/", views.live_call, name="calls_live_call"),
    path("calls/live/<int:pk>/body/", views.live_call_body, name="calls_live_call_body"),
    path("", include("calls.alerts.urls")),  # live alerts
    # Review (issue 4)
    path("calls/", views_review.calls_review_list, name="calls_review_list"),
    path("calls/export.csv", views_review.calls_review_export, name="calls_review_export"),
    path("calls/metrics/", views_metrics.calls_metrics, name="calls_metrics"),
    path("calls/<int:pk>/", views_review.call_review, name="call_review"),
    path("calls/<int:pk>/review/", views_review.call_review_save, name="call_review_save"),
    path("calls/<int:pk>/notes/", views_review.call_note_add, name="call_note_add"),
    path("calls/<int:pk>/reveal/", views_review.call_reveal, name="call_reveal"),
    path("calls/<int:pk>/reanalyze/", views_review.call_reanalyze, name="call_reanalyze"),
]
