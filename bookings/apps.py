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

        # The waitlist: a cancel or a move offers the freed time; an offer counts down.
        from bookings.tasks import waitlist_offer_countdown, waitlist_on_appointment_changed
        from bookings.waitlist.services import on_offer_made

        if waitlist_on_appointment_changed not in on_appointment_changed:
            on_appointment_changed.append(waitlist_on_appointment_changed)
        if waitlist_offer_countdown not in on_offer_made:
            on_offer_made.append(waitlist_offer_countdown)
