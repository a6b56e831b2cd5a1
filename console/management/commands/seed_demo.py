from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from console.demo.affiliates import affiliates_demo_seed
from console.demo.bookings import bookings_demo_seed
from console.demo.businesses import DEMO_PASSWORD, demo_businesses_seed


class Command(BaseCommand):
    help = "Create the demo businesses, people and data (idempotent); prints the demo logins."

    def handle(self, *args: Any, **opts: Any) -> None:
        _businesses, logins = demo_businesses_seed()
        # Each app's demo data, for every demo business.
        for business in _businesses:
            bookings_demo_seed(business)
        logins.append(affiliates_demo_seed(referred=_businesses[0]))
        lines = [f"  {login.email:<28} {login.role:<15} {login.business}" for login in logins]
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write("\n".join(lines))
        self.stdout.write(f"Demo logins: {', '.join(login.email for login in logins)}")
