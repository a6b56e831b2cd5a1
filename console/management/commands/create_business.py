from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from console.tenancy.models import Business, User
from console.tenancy.services import BusinessError, business_create, user_create


class Command(BaseCommand):
    help = "Create a business and its owner; prints the business slug."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--kind", choices=Business.Kind.values, default="salon")
        parser.add_argument("--timezone", default="America/New_York")
        parser.add_argument("--prefix", default="GB")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-password", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        email = opts["owner_email"].lower()
        try:
            with transaction.atomic():
                owner = User.objects.filter(email=email).first()
                if owner is None:
                    validate_password(opts["owner_password"], User(email=email))
                    owner = user_create(email=email, password=opts["owner_password"])
                business = business_create(
                    name=opts["name"],
                    kind=opts["kind"],
                    timezone_name=opts["timezone"],
                    prefix=opts["prefix"].upper(),
                    owner=owner,
                    trial_days=None,
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except BusinessError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(business.slug)
