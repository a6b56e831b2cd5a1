from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from console.tenancy.apikeys import InvalidScopes, api_key_create, scopes_parse
from console.tenancy.models import Business


class Command(BaseCommand):
    help = "Create an API key for a business; prints the secret (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--scopes", required=True, help="comma list of ingest,tools,admin")
        parser.add_argument("--name", default="Created on the command line")

    def handle(self, *args: Any, **opts: Any) -> None:
        business = Business.objects.filter(slug=opts["slug"]).first()
        if business is None:
            raise CommandError(f"No business with slug {opts['slug']!r}.")
        try:
            scopes = scopes_parse(opts["scopes"])
        except InvalidScopes as exc:
            raise CommandError(str(exc)) from exc
        created = api_key_create(business=business, name=opts["name"], scopes=scopes)
        self.stdout.write(created.secret)
