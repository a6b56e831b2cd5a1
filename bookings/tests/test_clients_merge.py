"""Merging duplicates: appointments and calls follow, audited with a receipt; managers only;
never across businesses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bookings.clients.selectors import client_card, client_for_call
from bookings.clients.services import ClientError, client_record_update, clients_merge
from bookings.models import Appointment, Customer
from bookings.services import CustomerDetails, customer_upsert
from bookings.tests.clients_fixtures import visit
from calls.tests.factories import call_start
from console.audit.models import AuditEntry
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(business: Business, haircut, ana, owner: User) -> tuple[Customer, Customer]:
    keep = visit(
        business=business,
        service=haircut,
        staff=ana,
        days_ago=30,
        status="completed",
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
    ).customer
    dupe = visit(
        business=business,
        service=haircut,
        staff=ana,
        days_ago=3,
        status="completed",
        customer=CustomerDetails(name="Alice Smith", phone="+14155550456"),
    ).customer
    visit(business=business, service=haircut, staff=ana, customer=dupe, days_ago=-5)
    client_record_update(
        business=business,
        client=dupe,
        notes="",
        allergies="Latex",
        formulas="",
        marketing_consent=True,
        by=owner,
    )
    return keep, dupe


def test_merging_moves_the_appointments_and_calls_and_removes_the_duplicate(
    business: Business, owner: User, twins
) -> None:
    keep, dupe = twins
    dupe_call = call_start(business, "gw-dupe", number="+14155550456")
    receipt = clients_merge(business=business, keep=keep, remove=dupe, by=owner)
    assert (receipt.appointments_moved, receipt.calls_linked) == (2, 1)
    assert not Customer.objects.filter(pk=dupe.pk).exists()
    assert Appointment.objects.filter(customer=keep).count() == 3
    keep.refresh_from_db()
    assert keep.allergies == "Latex"
    assert keep.marketing_consent is True  # the duplicate's decision was the more recent
    card = client_card(business=business, client=keep)
    assert [c.pk for c in card.calls] == [dupe_call.pk]
    assert card.spend_cents == 2 * 5500
    assert client_for_call(business=business, call=dupe_call) == keep


def test_the_merge_is_audited_with_ids_and_counts_only(
    business: Business, owner: User, twins
) -> None:
    keep, dupe = twins
    receipt = clients_merge(business=business, keep=keep, remove=dupe, by=owner)
    entry = AuditEntry.objects.get(action="client.merged")
    assert entry.pk == receipt.audit.pk
    assert entry.data == {
        "kept_id": keep.pk,
        "removed_id": dupe.pk,
        "appointments_moved": 2,
        "calls_linked": 0,
    }
    assert "Alice" not in entry.object_repr + str(entry.data)
    assert entry.actor == owner


def test_a_client_cannot_be_merged_with_itself_or_another_business_s(
    business: Business, other_business: Business, owner: User, twins, haircut, ana
) -> None:
    keep, _dupe = twins
    with pytest.raises(ClientError):
        clients_merge(business=business, keep=keep, remove=keep, by=owner)
    stranger = customer_upsert(
        business=other_business,
        details=CustomerDetails(name="Alice Smith", phone="+14155550789"),
    )
    with pytest.raises(ClientError):
        clients_merge(business=business, keep=keep, remove=stranger, by=owner)
    assert Customer.objects.filter(pk=stranger.pk).exists()


def test_a_manager_merges_from_the_card_and_reads_the_receipt(
    client_for, manager: User, twins
) -> None:
    keep, dupe = twins
    browser = client_for(manager)
    card = browser.get(reverse("client_card", args=[keep.pk])).content.decode()
    assert 'data-section="merge"' in card
    candidates = browser.get(reverse("client_merge_candidates", args=[keep.pk])).content.decode()
    assert f'value="{dupe.pk}"' in candidates  # same name: offered without a search
    response = browser.post(
        reverse("client_merge", args=[keep.pk]), {"remove": dupe.pk}, follow=True
    )
    html = response.content.decode()
    assert "Merged: 2 appointments moved" in html
    assert "Receipt: audit entry #" in html
    assert not Customer.objects.filter(pk=dupe.pk).exists()


def test_the_front_desk_may_not_merge(client_for, front_desk: User, twins) -> None:
    keep, dupe = twins
    browser = client_for(front_desk)
    assert (
        'data-section="merge"'
        not in browser.get(reverse("client_card", args=[keep.pk])).content.decode()
    )
    response = browser.post(reverse("client_merge", args=[keep.pk]), {"remove": dupe.pk})
    assert response.status_code == 403
    assert Customer.objects.filter(pk=dupe.pk).exists()


def test_merging_across_businesses_answers_404(
    client_for, manager: User, other_owner: User, other_business: Business, twins
) -> None:
    keep, dupe = twins
    stranger = customer_upsert(
        business=other_business,
        details=CustomerDetails(name="Alice Smith", phone="+14155550789"),
    )
    ours = client_for(manager)
    assert (
        ours.post(reverse("client_merge", args=[keep.pk]), {"remove": stranger.pk}).status_code
        == 404
    )
    theirs = client_for(other_owner)
    assert (
        theirs.post(reverse("client_merge", args=[stranger.pk]), {"remove": dupe.pk}).status_code
        == 404
    )
    assert (
        theirs.post(reverse("client_merge", args=[keep.pk]), {"remove": dupe.pk}).status_code == 404
    )
    assert theirs.get(reverse("client_merge_candidates", args=[keep.pk])).status_code == 404
    assert Customer.objects.filter(pk__in=[dupe.pk, stranger.pk]).count() == 2


def test_a_malformed_merge_is_a_clear_error(client_for, manager: User, twins) -> None:
    keep, _dupe = twins
    response = client_for(manager).post(
        reverse("client_merge", args=[keep.pk]), {"remove": "abc"}, follow=True
    )
    assert response.status_code == 200
    assert "Pick the duplicate to merge." in response.content.decode()


def test_numbers_merged_before_follow_a_second_merge(
    business: Business, owner: User, twins, haircut, ana
) -> None:
    keep, dupe = twins
    old_call = call_start(business, "gw-dupe", number="+14155550456")
    clients_merge(business=business, keep=keep, remove=dupe, by=owner)
    third = visit(
        business=business,
        service=haircut,
        staff=ana,
        days_ago=1,
        customer=CustomerDetails(name="A. Smith", phone="+14155550999"),
    ).customer
    receipt = clients_merge(business=business, keep=third, remove=keep, by=owner)
    assert receipt.calls_linked == 1
    assert [c.pk for c in client_card(business=business, client=third).calls] == [old_call.pk]
    assert client_for_call(business=business, call=old_call) == third


def test_a_call_from_a_merged_number_opens_whoever_has_that_number_now(
    business: Business, owner: User, twins, haircut, ana
) -> None:
    keep, dupe = twins
    clients_merge(business=business, keep=keep, remove=dupe, by=owner)
    again = visit(
        business=business,
        service=haircut,
        staff=ana,
        days_ago=1,
        customer=CustomerDetails(name="Alice S", phone="+14155550456"),
    ).customer
    call = call_start(business, "gw-again", number="+14155550456")
    assert again.pk != keep.pk
    assert client_for_call(business=business, call=call) == again
