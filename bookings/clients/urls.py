from django.urls import path

from bookings.clients import views

urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("<int:pk>/", views.client_card_view, name="client_card"),
    path("<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("<int:pk>/phone/", views.client_phone_reveal, name="client_phone_reveal"),
    path("<int:pk>/merge/", views.client_merge, name="client_merge"),
    path(
        "<int:pk>/merge/candidates/",
        views.client_merge_candidates,
        name="client_merge_candidates",
    ),
    path("call/<int:call_pk>/", views.client_for_call_view, name="client_for_call"),
]
