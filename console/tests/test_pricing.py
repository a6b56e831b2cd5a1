from __future__ import annotations

from django.test import Client
from django.urls import reverse

from console.affiliates.models import AffiliateProgram
from console.billing.models import Plan
from console.tests.billing_fixtures import catalogue_fixture  # noqa: F401


def test_the_pricing_page_shows_both_plans_from_the_database(catalogue: None) -> None:
    page = Client().get(reverse("pricing"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Starter" in html and "$499" in html
    assert "Growth" in html and "$1,499" in html
    assert "Priority support" in html  # a Growth feature, side by side
    assert html.index("Starter") < html.index("Growth")
    assert f"{reverse('trial')}?plan=starter" in html
    assert "22%" in html


def test_prices_and_commission_are_data_not_template_text(catalogue: None) -> None:
    Plan.objects.filter(code="starter").update(price_cents=59900)
    AffiliateProgram.objects.update(commission_percent="25.00")
    html = Client().get(reverse("pricing")).content.decode()
    assert "$599" in html and "$499" not in html
    assert "25%" in html


def test_an_inactive_plan_is_not_offered(catalogue: None) -> None:
    Plan.objects.filter(code="growth").update(active=False)
    html = Client().get(reverse("pricing")).content.decode()
    assert "Growth" not in html


def test_an_anonymous_visitor_lands_on_pricing(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("pricing")


def test_the_pricing_page_loads_nothing_from_other_sites(catalogue: None) -> None:
    html = Client().get(reverse("pricing")).content.decode()
    assert "https://" not in html.replace("https://checkout", "")
    assert "//fonts." not in html and "cdn" not in html.lower()


def test_the_side_by_side_table_never_says_growth_lacks_what_it_includes(
    catalogue: None,
) -> None:
    response = Client().get(reverse("pricing"))
    comparison = response.context["comparison"]
    plans = response.context["plans"]
    growth = next(i for i, p in enumerate(plans) if p.code == "growth")
    starter = next(i for i, p in enumerate(plans) if p.code == "starter")
    rows = {row["feature"]: row["included"] for row in comparison}
    # Everything Starter has, Growth (the plan above it) has too, and the table says so.
    for feature in plans[starter].features:
        assert rows[feature][growth], feature
    # What only Growth has is not claimed for Starter.
    assert not rows["API access for your own systems"][starter]
    assert rows["API access for your own systems"][growth]
    assert "Everything in Starter" in response.content.decode()
