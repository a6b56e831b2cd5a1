"""Another business's data is never visible: every tenant URL answers 404 for an outsider."""

from __future__ import annotations

from django.urls import reverse

from console.tenancy.access import SESSION_KEY
from console.tenancy.apikeys import api_key_create
from console.tenancy.models import ApiKey, Business, Membership, User
from console.tenancy.services import membership_add


def test_an_owner_cannot_revoke_another_business_key(
    business: Business, owner: User, other_business: Business, client_for
) -> None:
    theirs = api_key_create(business=other_business, name="theirs", scopes=["ingest"]).api_key
    response = client_for(owner).post(reverse("settings_api_key_revoke", args=[theirs.pk]))
    assert response.status_code == 404
    assert ApiKey.objects.get(pk=theirs.pk).revoked_at is None


def test_an_owner_cannot_change_or_remove_another_business_member(
    business: Business, owner: User, outsider: User, client_for
) -> None:
    theirs = Membership.objects.get(user=outsider)
    client = client_for(owner)
    assert (
        client.post(
            reverse("settings_member_role", args=[theirs.pk]), {"role": "owner"}
        ).status_code
        == 404
    )
    assert client.post(reverse("settings_member_remove", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == "front_desk"


def test_a_user_cannot_switch_into_a_business_they_do_not_belong_to(
    business: Business, outsider: User, client_for
) -> None:
    client = client_for(outsider)
    response = client.post(reverse("business_switch"), {"business": business.pk})
    assert response.status_code == 404
    page = client.get(reverse("settings_business"))
    assert b"Salon One" not in page.content


def test_a_member_of_two_businesses_switches_between_them(
    business: Business, owner: User, other_business: Business, other_owner: User, client_for
) -> None:
    membership_add(business=other_business, user=owner, role="manager", by=other_owner)
    client = client_for(owner)
    client.post(reverse("business_switch"), {"business": other_business.pk, "next": "/settings/"})
    assert client.session[SESSION_KEY] == other_business.pk
    page = client.get(reverse("settings_business"))
    assert b"Other Clinic" in page.content
    assert b"Manager" in page.content


def test_platform_staff_can_work_in_any_business(
    business: Business, other_business: Business, platform_staff: User, client_for
) -> None:
    client = client_for(platform_staff)
    client.post(reverse("business_switch"), {"business": other_business.pk})
    page = client.get(reverse("settings_business"))
    assert b"Other Clinic" in page.content
    assert b"Platform staff" in page.content


def test_a_switch_never_redirects_off_site(business: Business, owner: User, client_for) -> None:
    response = client_for(owner).post(
        reverse("business_switch"), {"business": business.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_user_without_a_business_is_told_so(db: None, client_for) -> None:
    lonely = User.objects.create_user(email="lonely@nowhere.test", password="x" * 12)
    response = client_for(lonely).get(reverse("settings_business"))
    assert response.status_code == 403
    assert b"belong to no business" in response.content


def test_front_desk_cannot_open_owner_only_pages(front_desk: User, client_for) -> None:
    client = client_for(front_desk)
    for name in ["settings_members", "settings_api_keys", "settings_audit"]:
        assert client.get(reverse(name)).status_code == 403, name


def test_front_desk_sees_the_business_but_cannot_change_it(
    business: Business, front_desk: User, client_for
) -> None:
    client = client_for(front_desk)
    assert client.get(reverse("settings_business")).status_code == 200
    response = client.post(
        reverse("settings_business"), {"name": "Hacked", "timezone": "UTC", "default_region": "US"}
    )
    assert response.status_code == 403
    business.refresh_from_db()
    assert business.name == "Salon One"
