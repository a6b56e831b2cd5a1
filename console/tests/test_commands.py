from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from console.tenancy.models import Business, Membership, User


def test_create_business_prints_the_slug_and_makes_the_owner(db: None, capsys) -> None:
    call_command(
        "create_business",
        "Glow Bar Downtown",
        "--kind",
        "salon",
        "--timezone",
        "America/Chicago",
        "--prefix",
        "GD",
        "--owner-email",
        "Boss@Glow.test",
        "--owner-password",
        "a-long-enough-passphrase",
    )
    slug = capsys.readouterr().out.strip().splitlines()[-1]
    business = Business.objects.get(slug=slug)
    assert slug == "glow-bar-downtown"
    assert (business.kind, business.timezone, business.prefix) == ("salon", "America/Chicago", "GD")
    owner = User.objects.get(email="boss@glow.test")
    assert owner.check_password("a-long-enough-passphrase")
    assert Membership.objects.get(business=business, user=owner).role == "owner"


@pytest.mark.parametrize(("flag", "value"), [("--prefix", "G1"), ("--timezone", "Nowhere/City")])
def test_create_business_refuses_bad_input_and_makes_nothing(db: None, flag, value) -> None:
    args = {"--prefix": "GB", "--timezone": "UTC"} | {flag: value}
    with pytest.raises(CommandError):
        call_command(
            "create_business",
            "X",
            "--owner-email",
            "x@x.test",
            "--owner-password",
            "a-long-enough-passphrase",
            *sum(args.items(), ()),
        )
    assert not Business.objects.exists()
    assert not User.objects.exists()


def test_seed_demo_is_idempotent_and_prints_the_logins(db: None, capsys) -> None:
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (Business.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Business.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert "owner@glowbar.test" in first and "desk@harborclinic.test" in first
    assert set(Business.objects.values_list("prefix", flat=True)) >= {"GB", "HC"}
