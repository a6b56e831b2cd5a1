"""manage.py create_connector SLUG --platform retell|vapi --secret S (CONTRACTS §1, §8):
prints the webhook URL to give the platform on its last line; the secret is stored encrypted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from calls.connectors.services import ConnectorError, connector_create, connector_webhook_url
from calls.models import Connector
from console.tenancy.models import Business


class Command(BaseCommand):
    help = "Create a Retell or Vapi connector for a business; prints its webhook URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--platform", required=True, choices=Connector.Platform.values)
        parser.add_argument(
            "--secret",
            required=True,
            help="The key the platform signs with (Retell: the API key; Vapi: the server secret).",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        business = Business.objects.filter(slug=opts["slug"]).first()
        if business is None:
            raise CommandError(f"No business with slug {opts['slug']!r}.")
        try:
            created = connector_create(
                business=business, platform=opts["platform"], secret=opts["secret"]
            )
        except ConnectorError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(connector_webhook_url(connector=created.connector))
