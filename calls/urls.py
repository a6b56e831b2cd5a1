from django.urls import path

from calls import views

urlpatterns = [
    path("calls/live/", views.live, name="calls_live"),
    path("calls/live/lists/", views.live_lists, name="calls_live_lists"),
    path("calls/live/<int:pk>/", views.live_call, name="calls_live_call"),
    path("calls/live/<int:pk>/body/", views.live_call_body, name="calls_live_call_body"),
]
