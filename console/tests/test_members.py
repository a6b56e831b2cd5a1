from __future__ import annotations

from django.core import mail
from django.urls import reverse

from console.tenancy.models import Business, Membership, User


def test_an_owner_adds_a_new_person_who_gets_a_link_to_set_a_password(
    business: Business, owner: User, client_for, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            reverse("settings_members"), {"email": "New@Salon.test", "role": "front_desk"}
        )
    assert response.status_code == 302
    user = User.objects.get(email="new@salon.test")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "front_desk"
    assert "/accounts/reset/" in mail.outbox[0].body


def test_the_last_owner_cannot_be_demoted_or_removed(
    business: Business, owner: User, client_for
) -> None:
    membership = Membership.objects.get(user=owner)
    client = client_for(owner)
    client.post(reverse("settings_member_role", args=[membership.pk]), {"role": "manager"})
    client.post(reverse("settings_member_remove", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_adding_someone_twice_says_so(
    business: Business, owner: User, front_desk: User, client_for
) -> None:
    response = client_for(owner).post(
        reverse("settings_members"), {"email": front_desk.email, "role": "manager"}
    )
    assert response.status_code == 200
    assert b"already a member" in response.content
