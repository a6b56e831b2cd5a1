from django.apps import AppConfig


class BookingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bookings"

    def ready(self) -> None:
        # The book's pages render the live update of a changed appointment; the write path
        # (bookings.services) only calls what is registered, so it never imports the pages.
        from bookings.book.live import appointment_changed_broadcast, hold_changed_broadcast
        from bookings.holds import on_hold_changed
        from bookings.services import on_appointment_changed

        if appointment_changed_broadcast not in on_appointment_changed:
            on_appointment_changed.append(appointment_changed_broadcast)
        if hold_changed_broadcast not in on_hold_changed:
            on_hold_changed.append(hold_changed_broadcast)
