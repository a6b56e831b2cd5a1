from django.urls import path

from bookings import customer_page

urlpatterns = [
    path("b/<str:token>/", customer_page.booking_page, name="booking_customer"),
    path("b/<str:token>/cancel/", customer_page.booking_cancel, name="booking_customer_cancel"),
    path(
        "b/<str:token>/reschedule/",
        customer_page.booking_reschedule,
        name="booking_customer_reschedule",
    ),
]
