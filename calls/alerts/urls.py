from django.urls import path

from calls.alerts import views

urlpatterns = [
    path(
        "calls/alerts/<int:pk>/acknowledge/",
        views.alert_acknowledge,
        name="call_alert_acknowledge",
    ),
]
