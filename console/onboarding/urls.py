from django.urls import path

from console.onboarding import views

urlpatterns = [
    path("start/", views.checklist, name="onboarding"),
    path("start/test-call/", views.practice_call_start, name="onboarding_test_call"),
    path("start/dismiss/", views.dismiss, name="onboarding_dismiss"),
]
