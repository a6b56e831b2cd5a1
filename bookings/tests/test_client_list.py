"""The client list: search by any part of the name or number, sorted, paginated."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.services import CustomerDetails
from bookings.tests.clients_fixtures import visit
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db

# The list page's baseline: session, user, memberships (the request's business), the
# paginator's count, the page of clients with their last visit, and the business switcher.
QUERIES_CLIENT_LIST = 6


@pytest.fixture
def clients(business: Business, haircut, ana):
    alice = visit(
        business=business,
        service=haircut,
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
        days_ago=30,
    ).customer
    bob = visit(
        business=business,
        service=haircut,
        staff=ana,
        customer=CustomerDetails(name="Bob Jones", phone="+14155550987"),
        days_ago=2,
    ).customer
    visit(business=business, service=haircut, staff=ana, customer=alice, days_ago=-7)
    return alice, bob


def _names(html: str, *names: str) -> list[str]:
    return sorted((html.index(n), n) for n in names if n in html)  # type: ignore[misc]


def test_it_lists_clients_by_last_visit_newest_first(client_for, front_desk: User, clients):
    html = client_for(front_desk).get(reverse("client_list")).content.decode()
    assert [n for _, n in _names(html, "Alice Smith", "Bob Jones")] == ["Bob Jones", "Alice Smith"]


def test_it_sorts_by_name_when_asked(client_for, front_desk: User, clients):
    html = client_for(front_desk).get(reverse("client_list"), {"sort": "name"}).content.decode()
    assert [n for _, n in _names(html, "Alice Smith", "Bob Jones")] == ["Alice Smith", "Bob Jones"]


def test_part_of_a_name_finds_the_client(client_for, front_desk: User, clients):
    html = client_for(front_desk).get(reverse("client_list"), {"q": "smi"}).content.decode()
    assert "Alice Smith" in html
    assert "Bob Jones" not in html


def test_the_last_four_digits_find_the_client(client_for, front_desk: User, clients):
    html = client_for(front_desk).get(reverse("client_list"), {"q": "0987"}).content.decode()
    assert "Bob Jones" in html
    assert "Alice Smith" not in html


def test_a_number_without_its_country_code_finds_the_client(client_for, front_desk: User, clients):
    html = client_for(front_desk).get(reverse("client_list"), {"q": "415 555 0123"}).content
    assert "Alice Smith" in html.decode()


def test_phones_are_shown_only_by_their_last_four(client_for, front_desk: User, clients):
    html = client_for(front_desk).get(reverse("client_list")).content.decode()
    assert "··0123" in html
    assert "5550123" not in html


def test_nothing_found_says_what_works(client_for, front_desk: User, clients):
    html = client_for(front_desk).get(reverse("client_list"), {"q": "zzz"}).content.decode()
    assert 'data-testid="client-empty"' in html


def test_htmx_gets_only_the_list_partial(client_for, front_desk: User, clients):
    html = (
        client_for(front_desk)
        .get(reverse("client_list"), {"q": "bob"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert html.lstrip().startswith('<div id="client-list">')
    assert "Bob Jones" in html


def test_another_business_s_clients_are_never_listed(client_for, outsider: User, clients):
    html = client_for(outsider).get(reverse("client_list"), {"q": "0123"}).content.decode()
    assert "Alice Smith" not in html
    html = client_for(outsider).get(reverse("client_list")).content.decode()
    assert "Alice Smith" not in html and "Bob Jones" not in html


def test_it_pages_and_its_query_count_does_not_grow_with_the_clients(
    client_for, front_desk: User, business: Business, haircut, ana
):
    browser = client_for(front_desk)
    browser.get(reverse("client_list"))  # warm the session and the business lookups

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(reverse("client_list")).status_code == 200
        return len(queries)

    for n in range(3):
        visit(
            business=business,
            service=haircut,
            staff=ana,
            customer=CustomerDetails(name=f"Client {n:02d}", phone=f"+1415555{n:04d}"),
            days_ago=n + 1,
        )
    few = count_queries()
    for n in range(3, 30):
        visit(
            business=business,
            service=haircut,
            staff=ana,
            customer=CustomerDetails(name=f"Client {n:02d}", phone=f"+1415555{n:04d}"),
            days_ago=n + 1,
        )
    many = count_queries()
    assert many == few
    assert few == QUERIES_CLIENT_LIST, few
    page_two = browser.get(reverse("client_list"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in page_two
