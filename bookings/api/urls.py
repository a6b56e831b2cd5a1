from django.urls import path

from bookings.api import admin as api_admin
from bookings.api import tools as api_tools
from bookings.api import waitlist as api_waitlist

urlpatterns = [
    # The voice agent's tools (scope `tools`)
    path("tools/match_service", api_tools.MatchServiceView.as_view(), name="tool_match_service"),
    path(
        "tools/check_availability",
        api_tools.CheckAvailabilityView.as_view(),
        name="tool_check_availability",
    ),
    path(
        "tools/book_appointment",
        api_tools.BookAppointmentView.as_view(),
        name="tool_book_appointment",
    ),
    path(
        "tools/reschedule_appointment",
        api_tools.RescheduleAppointmentView.as_view(),
        name="tool_reschedule_appointment",
    ),
    path(
        "tools/cancel_appointment",
        api_tools.CancelAppointmentView.as_view(),
        name="tool_cancel_appointment",
    ),
    path(
        "tools/find_appointment",
        api_tools.FindAppointmentView.as_view(),
        name="tool_find_appointment",
    ),
    path("tools/hold_slot", api_tools.HoldSlotView.as_view(), name="tool_hold_slot"),
    path("tools/join_waitlist", api_tools.JoinWaitlistView.as_view(), name="tool_join_waitlist"),
    # Managing the book (scope `admin`)
    path("services", api_admin.ServiceList.as_view(), name="api_services"),
    path("services/<int:pk>", api_admin.ServiceDetail.as_view(), name="api_service"),
    path("staff", api_admin.StaffList.as_view(), name="api_staff_list"),
    path("staff/<int:pk>", api_admin.StaffDetail.as_view(), name="api_staff"),
    path(
        "staff/<int:pk>/exceptions",
        api_admin.StaffExceptionList.as_view(),
        name="api_staff_exceptions",
    ),
    path(
        "staff/<int:pk>/exceptions/<int:exception_pk>",
        api_admin.StaffExceptionDetail.as_view(),
        name="api_staff_exception",
    ),
    path("customers", api_admin.CustomerList.as_view(), name="api_customers"),
    path("customers/<int:pk>", api_admin.CustomerDetail.as_view(), name="api_customer"),
    path("waitlist", api_waitlist.WaitlistList.as_view(), name="api_waitlist"),
    path("waitlist/<int:pk>", api_waitlist.WaitlistDetail.as_view(), name="api_waitlist_entry"),
    path("appointments", api_admin.AppointmentList.as_view(), name="api_appointments"),
    path(
        "appointments/<str:reference>",
        api_admin.AppointmentDetail.as_view(),
        name="api_appointment",
    ),
]
