from django.urls import include, path

from bookings import customer_page
from bookings.book import day as book
from bookings.book import panel, search
from bookings.catalog import views as settings_pages
from bookings.waitlist import views as waitlist

urlpatterns = [
    path("b/<str:token>/", customer_page.booking_page, name="booking_customer"),
    path("b/<str:token>/cancel/", customer_page.booking_cancel, name="booking_customer_cancel"),
    path(
        "b/<str:token>/reschedule/",
        customer_page.booking_reschedule,
        name="booking_customer_reschedule",
    ),
    path("w/<str:token>/", waitlist.offer_page, name="waitlist_offer"),
    path("book/waitlist/", waitlist.desk_list, name="waitlist_desk"),
    path("book/waitlist/<int:pk>/remove/", waitlist.desk_remove, name="waitlist_remove"),
    # The appointment book (issue 6)
    path("book/", book.day_view, name="book_day"),
    path("book/grid/", book.day_grid, name="book_day_grid"),
    path("book/staff/<int:staff_pk>/", book.week_view, name="book_week"),
    path("book/staff/<int:staff_pk>/grid/", book.week_grid, name="book_week_grid"),
    path("book/new/", book.book_new, name="book_new"),
    path("book/new/services/", book.service_options, name="book_service_options"),
    path("book/new/customers/", book.customer_options, name="book_customer_options"),
    path("book/new/customer/", book.customer_fields, name="book_customer_fields"),
    path("book/search/", search.search, name="book_search"),
    path("book/a/<int:pk>/", panel.panel, name="book_panel"),
    path("book/a/<int:pk>/slots/", panel.free_slots, name="book_free_slots"),
    path("book/a/<int:pk>/move/", panel.move, name="book_move"),
    path("book/a/<int:pk>/cancel/", panel.cancel, name="book_cancel"),
    path("book/a/<int:pk>/status/", panel.status, name="book_status"),
    path("book/a/<int:pk>/status/undo/", panel.status_undo, name="book_status_undo"),
    path("book/a/<int:pk>/resend/", panel.resend, name="book_resend"),
    # Client records (issue 17)
    path("clients/", include("bookings.clients.urls")),
    # Settings of the book
    path("settings/services/", settings_pages.services_list, name="settings_services"),
    path("settings/services/new/", settings_pages.service_edit, name="settings_service_new"),
    path("settings/services/<int:pk>/", settings_pages.service_edit, name="settings_service_edit"),
    path(
        "settings/services/<int:pk>/remove/",
        settings_pages.service_remove,
        name="settings_service_remove",
    ),
    path("settings/staff/", settings_pages.staff_list, name="settings_staff"),
    path("settings/staff/new/", settings_pages.staff_edit, name="settings_staff_new"),
    path("settings/staff/<int:pk>/", settings_pages.staff_edit, name="settings_staff_edit"),
    path(
        "settings/staff/<int:pk>/remove/", settings_pages.staff_remove, name="settings_staff_remove"
    ),
    path(
        "settings/staff/<int:pk>/exceptions/",
        settings_pages.exception_add,
        name="settings_exception_add",
    ),
    path(
        "settings/staff/<int:pk>/exceptions/<int:exception_pk>/remove/",
        settings_pages.exception_remove,
        name="settings_exception_remove",
    ),
    path("settings/booking-rules/", settings_pages.booking_rules, name="settings_booking_rules"),
]
