from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from console.billing.trials import prefix_from_name
from console.tenancy.access import SESSION_KEY
from console.tenancy.models import Business, Membership, Role, User
from console.tenancy.subscription import trial_days_left
from console.tests.billing_fixtures import catalogue_fixture  # noqa: F401

FORM = {
    "business_name": "Glow Beauty Studio",
    "kind": "salon",
    "timezone": "Europe/Paris",
    "owner_name": "Ana Owner",
    "email": "Ana@Glow.test",
    "password": "a-long-unusual-passphrase-42",
}


def test_a_trial_creates_the_business_and_owner_and_signs_them_in(catalogue: None) -> None:
    client = Client()
    response = client.post(reverse("trial"), FORM)
    assert response.status_code == 302
    business = Business.objects.get(name="Glow Beauty Studio")
    user = User.objects.get(email="ana@glow.test")
    assert Membership.objects.get(business=business, user=user).role == Role.OWNER
    assert business.kind == "salon" and business.timezone == "Europe/Paris"
    assert business.prefix == "GBS"
    assert business.subscription_status == Business.Subscription.TRIALING
    assert business.trial_ends_at is not None
    assert abs(business.trial_ends_at - (timezone.now() + timedelta(days=14))) < timedelta(
        minutes=1
    )
    assert client.session[SESSION_KEY] == business.pk
    console = client.get(response["Location"], follow=True)
    assert console.status_code == 200
    assert b"14 days left" in console.content
    assert b"Glow Beauty Studio" in console.content


def test_a_taken_email_is_refused_clearly(catalogue: None, owner: User) -> None:
    response = Client().post(reverse("trial"), {**FORM, "email": "OWNER@salon.test"})
    assert response.status_code == 400
    assert b"already exists" in response.content
    assert not Business.objects.filter(name="Glow Beauty Studio").exists()


def test_a_weak_password_is_refused_clearly_and_nothing_is_created(catalogue: None) -> None:
    response = Client().post(reverse("trial"), {**FORM, "password": "12345678"})
    assert response.status_code == 400
    assert b"too common" in response.content or b"entirely numeric" in response.content
    assert not User.objects.filter(email="ana@glow.test").exists()
    assert not Business.objects.filter(name="Glow Beauty Studio").exists()


def test_an_unknown_time_zone_or_kind_is_a_form_error_not_a_500(catalogue: None) -> None:
    response = Client().post(reverse("trial"), {**FORM, "timezone": "Mars/Olympus", "kind": "x"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_a_signed_in_user_adds_a_business_to_their_account(
    catalogue: None, owner: User, business: Business, client_for
) -> None:
    client = client_for(owner)
    page = client.get(reverse("trial"))
    assert b'name="password"' not in page.content
    response = client.post(
        reverse("trial"), {"business_name": "Second Salon", "kind": "salon", "timezone": "UTC"}
    )
    assert response.status_code == 302
    second = Business.objects.get(name="Second Salon")
    assert Membership.objects.filter(business=second, user=owner, role=Role.OWNER).exists()
    assert client.session[SESSION_KEY] == second.pk


def test_days_left_counts_a_part_day_as_a_day(db: None, owner: User) -> None:
    now = timezone.now()
    business = Business(
        name="x", subscription_status="trialing", trial_ends_at=now + timedelta(days=2, hours=1)
    )
    assert trial_days_left(business, now=now) == 3
    business.subscription_status = "active"
    assert trial_days_left(business, now=now) is None


def test_reference_prefixes_come_from_the_business_name() -> None:
    assert prefix_from_name("Glow Beauty Studio") == "GBS"
    assert prefix_from_name("Glow") == "GL"
    assert prefix_from_name("Élan Hair & Nails Co Ltd") == "EHNC"
    assert prefix_from_name("123") == "GB"


def test_a_new_business_starts_with_services_for_its_kind_and_a_weekday_team_member(
    catalogue: None,
) -> None:
    from bookings.models import Service, StaffMember

    Client().post(reverse("trial"), FORM)
    Client().post(
        reverse("trial"),
        {**FORM, "business_name": "Bright Clinic", "kind": "clinic", "email": "c@clinic.test"},
    )
    salon = Business.objects.get(name="Glow Beauty Studio")
    clinic = Business.objects.get(name="Bright Clinic")
    salon_services = set(Service.objects.filter(business=salon).values_list("name", flat=True))
    assert "Gel manicure" in salon_services and "Vaccination" not in salon_services
    assert "Vaccination" in set(
        Service.objects.filter(business=clinic).values_list("name", flat=True)
    )
    staff = StaffMember.objects.get(business=salon)
    assert staff.name == "Ana Owner"
    assert staff.services.count() == len(salon_services)
    assert sorted(staff.hours.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
