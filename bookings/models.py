"""The appointment book: services, staff and their hours, customers, appointments.

Invariants live in the database: references unique per business, one customer per phone
per business (blind index), and on PostgreSQL no overlapping active appointments per
staff member (an exclusion constraint created in migration 0001; see OVERLAP_CONSTRAINT).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from console.privacy.encryption import EncryptedTextField
from console.tenancy.models import Business

# The PostgreSQL exclusion constraint (migration 0001) that refuses overlapping
# appointments of one staff member, buffer included. services.py recognises it by name.
OVERLAP_CONSTRAINT = "appointment_no_overlap"


class Service(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=120)
    aliases = models.JSONField(default=list, blank=True, help_text="Spoken names, e.g. 'gel mani'.")
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Time kept free after it (cleaning, notes)."
    )
    price_cents = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["business", "name"], name="service_name_once"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=720),
                name="service_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(buffer_minutes__lte=240), name="service_buffer_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_profiles",
        help_text="Their console login, if they have one.",
    )
    services = models.ManyToManyField(Service, related_name="staff", blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "staff member"

    def __str__(self) -> str:
        return self.name


class WorkingHours(models.Model):
    """One interval of a weekday; several per day make breaks (09:00–12:30, 13:30–18:00)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday … 6 = Sunday")
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_range"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="hours_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start:%H:%M}–{self.end:%H:%M}"


class StaffException(models.Model):
    """A dated change to the weekly hours: time off / a holiday, or an extra session."""

    class Kind(models.TextChoices):
        OFF = "off", "Time off"
        EXTRA = "extra", "Extra hours"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="exceptions")
    start = models.DateTimeField()
    end = models.DateTimeField()
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.OFF)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="exception_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start:%Y-%m-%d %H:%M}"


class Customer(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="customers")
    name = models.CharField(max_length=150)
    phone = EncryptedTextField(help_text="E.164, encrypted at rest.")
    phone_index = models.CharField(max_length=64, editable=False, help_text="blind_index(phone)")
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False)
    email = models.EmailField(blank=True)
    # The client record (bookings.clients): the desk's own words, often health details.
    notes = EncryptedTextField(blank=True)
    allergies = EncryptedTextField(blank=True, help_text="Allergies and sensitivities.")
    formulas = EncryptedTextField(blank=True, help_text="Colour formulas, treatment settings.")
    marketing_consent = models.BooleanField(default=False)
    marketing_consent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the consent was last given or withdrawn."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "phone_index"], name="customer_phone_once"),
        ]

    def __str__(self) -> str:
        return self.name


class MergedNumber(models.Model):
    """The number of a duplicate client merged into `customer` (bookings.clients): the calls
    made from it show on the kept client's card. Only the blind index and last four are kept;
    the duplicate's encrypted number goes with it."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="merged_numbers")
    phone_index = models.CharField(max_length=64)
    phone_last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "phone_index"], name="merged_number_once"),
        ]

    def __str__(self) -> str:
        return f"··{self.phone_last4}"


class ReferenceCounter(models.Model):
    """How many appointments of a business were booked for one local day (references)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "day"], name="reference_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day} #{self.last_number}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CONFIRMED = "confirmed", "Confirmed"
        ARRIVED = "arrived", "Arrived"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    class Source(models.TextChoices):
        VOICE = "voice", "Voice agent"
        CONSOLE = "console", "Console"
        API = "api", "API"
        CUSTOMER = "customer", "Customer"

    # Statuses that hold the staff member's time (the exclusion constraint's WHERE).
    HOLDING = (Status.BOOKED, Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED)

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="appointments")
    reference = models.CharField(max_length=24)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="appointments")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="appointments")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    blocks_until = models.DateTimeField(help_text="end + the service's buffer at booking time")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CONSOLE)
    call = models.ForeignKey(
        "calls.Call",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
        help_text="The call whose agent booked it.",
    )
    notes = models.TextField(blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "reference"], name="appointment_ref_once"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="appointment_start_end"),
            models.CheckConstraint(
                condition=Q(end__lte=F("blocks_until")), name="appointment_end_blocks"
            ),
        ]
        indexes = [
            models.Index(fields=["staff", "start"], name="appointment_staff_start"),
            models.Index(fields=["business", "start"], name="appointment_business_start"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.BOOKED, self.Status.CONFIRMED)


class AppointmentChange(models.Model):
    """The appointment's history: who changed what, when, from what to what."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=20)  # booked, rescheduled, cancelled, status
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_label}"


class IdempotencyRecord(models.Model):
    """The first response to an `Idempotency-Key`, replayed to every retry."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    endpoint = models.CharField(max_length=60)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "key"], name="idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"


class OutboxMessage(models.Model):
    """Every SMS and email we send about an appointment, with its delivery status."""

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "Email"

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation"
        RESCHEDULE = "reschedule", "Rescheduled"
        CANCELLATION = "cancellation", "Cancellation"
        REMINDER = "reminder", "Reminder"
        OFFER = "offer", "Waitlist offer"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    channel = models.CharField(max_length=5, choices=Channel.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    dedupe_key = models.CharField(max_length=120, help_text="One message per key, ever.")
    recipient = EncryptedTextField()
    subject = models.CharField(max_length=200, blank=True)
    body = EncryptedTextField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "dedupe_key"], name="outbox_dedupe_once"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} ({self.status})"


# The PostgreSQL exclusion constraint (migration 0003) over every claim on a staff member's
# time: holding appointments and live slot holds compete in one table, bookings_timeclaim,
# kept by triggers on both tables. services.py recognises it by name, like OVERLAP_CONSTRAINT.
CLAIM_CONSTRAINT = "time_claim_no_overlap"


class SlotHold(models.Model):
    """A time held for a few minutes while a caller confirms (the `hold_slot` tool).

    It blocks the time for everyone else until `expires_at`, and then by itself: an expired
    hold is free time for availability, and on PostgreSQL the next claim on that time
    removes its row from bookings_timeclaim in the same transaction (migration 0003), so no
    sweeper is needed for correctness. `status` says how it ended (booked, released); a
    `held` hold past `expires_at` is expired.
    """

    class Status(models.TextChoices):
        HELD = "held", "Held"
        BOOKED = "booked", "Booked"
        RELEASED = "released", "Released"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="slot_holds")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="slot_holds")
    start = models.DateTimeField()
    end = models.DateTimeField()
    blocks_until = models.DateTimeField(help_text="end + the service's buffer")
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.HELD)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    call = models.ForeignKey(
        "calls.Call", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="hold_start_end"),
            models.CheckConstraint(condition=Q(end__lte=F("blocks_until")), name="hold_end_blocks"),
        ]
        indexes = [
            models.Index(fields=["staff", "start"], name="hold_staff_start"),
            models.Index(fields=["business", "start"], name="hold_business_start"),
        ]

    def __str__(self) -> str:
        return f"hold {self.pk} {self.start:%Y-%m-%d %H:%M}"

    def is_live(self, now: datetime) -> bool:
        return self.status == self.Status.HELD and self.expires_at > now


class WaitlistEntry(models.Model):
    """A client who wants `service` (with `staff`, or anyone) some time in [start, end).

    When such a time frees up, the first waiting entry it suits is offered it by SMS
    (`offered`, until `offer_expires_at`); taken, it is `booked`; not taken in time, or its
    window passed, `expired`, and the next entry gets the offer (bookings.waitlist).
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Offered"
        BOOKED = "booked", "Booked"
        EXPIRED = "expired", "Expired"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="waitlist")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="waitlist")
    start = models.DateTimeField(help_text="The window the client can do: from")
    end = models.DateTimeField(help_text="… to")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    offered_start = models.DateTimeField(null=True, blank=True)
    offered_staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="waitlist_start_end"),
        ]
        indexes = [
            models.Index(fields=["business", "status", "created_at"], name="waitlist_queue"),
        ]

    def __str__(self) -> str:
        return f"waitlist {self.pk} ({self.status})"
