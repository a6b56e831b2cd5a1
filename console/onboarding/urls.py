from django.urls import path

from console.onboarding import views

urlpatterns = [
    path("start/", views.checklist, name="onboarding"),
    path("start/test-call/", views.test_call, name="onboarding_test_call"),
    path("start/dismiss/", views.dismiss, name="onboarding_dismiss"),
]
