"""The addresses our marketing prints land on their pages, with or without a trailing slash."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("printed", "page"),
    [
        ("/pricing", "/pricing/"),
        ("/pricing/", "/pricing/"),
        ("/trial", "/trial/"),
        ("/trial/", "/trial/"),
        ("/affiliate", "/affiliates/"),
        ("/affiliate/", "/affiliates/"),
        ("/affiliates", "/affiliates/"),
    ],
)
def test_each_printed_link_lands_on_its_page(printed: str, page: str) -> None:
    response = Client().get(printed, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == page
    assert len(response.redirect_chain) <= 1


def test_the_affiliate_link_keeps_its_campaign_query() -> None:
    response = Client().get("/affiliate?utm_source=flyer")
    assert response.status_code == 301
    assert response["Location"] == "/affiliates/?utm_source=flyer"
