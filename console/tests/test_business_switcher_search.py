"""The business switcher for platform staff with many businesses: a capped list and a
search; nobody finds a business they may not work in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import make_business
from console.tenancy.access import SESSION_KEY, SWITCHER_LIMIT
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(owner: User) -> list[Business]:
    return [make_business(f"Salon {n:03d}", owner) for n in range(SWITCHER_LIMIT + 10)]


def test_platform_staff_get_a_capped_list_and_a_search_box(
    client_for, platform_staff: User, many: list[Business]
) -> None:
    html = client_for(platform_staff).get(reverse("settings_business")).content.decode()
    assert 'data-testid="business-search"' in html
    options = html.split('id="business-switch"', 1)[1].split("</select>", 1)[0]
    assert options.count("<option") <= SWITCHER_LIMIT + 1  # and the current one


def test_the_search_finds_by_part_of_the_name_and_switches(
    client_for, platform_staff: User, many: list[Business]
) -> None:
    client = client_for(platform_staff)
    response = client.get(reverse("business_switch_search"), {"q": "salon 02", "next": "/book/"})
    html = response.content.decode()
    assert response.status_code == 200
    wanted = [b for b in many if "salon 02" in b.name.lower()]
    assert wanted
    for business in wanted:
        assert business.name in html
    assert "Salon 001" not in html
    assert 'name="next" value="/book/"' in html
    switched = client.post(reverse("business_switch"), {"business": wanted[0].pk, "next": "/book/"})
    assert switched.status_code == 302 and switched["Location"] == "/book/"
    assert client.session[SESSION_KEY] == wanted[0].pk


def test_the_search_is_capped_and_says_there_is_more(
    client_for, platform_staff: User, many: list[Business]
) -> None:
    html = (
        client_for(platform_staff)
        .get(reverse("business_switch_search"), {"q": "salon"})
        .content.decode()
    )
    assert html.count('name="business"') == SWITCHER_LIMIT
    assert "More match" in html


def test_a_member_only_finds_their_own_businesses(
    client_for, front_desk: User, business: Business, other_business: Business
) -> None:
    html = (
        client_for(front_desk)
        .get(reverse("business_switch_search"), {"q": "salon"})
        .content.decode()
    )
    assert business.name in html
    assert other_business.name not in html
    page = client_for(front_desk).get(reverse("settings_business")).content.decode()
    assert 'data-testid="business-search"' not in page


def test_the_search_needs_a_signed_in_user(client, many: list[Business]) -> None:
    response = client.get(reverse("business_switch_search"), {"q": "salon"})
    assert response.status_code == 302
    assert "Salon 001" not in response.content.decode()
