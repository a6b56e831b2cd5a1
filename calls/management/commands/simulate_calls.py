from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from calls.simulator import Target, simulation_run
from console.tenancy.apikeys import api_key_create
from console.tenancy.models import Business

DEMO_SLUGS = ("glow-bar", "harbor-clinic")


class Command(BaseCommand):
    help = (
        "Play realistic salon and clinic calls through the real ingest endpoint "
        "(POST /api/v1/events) and tools API (book, move, cancel), several at once, "
        "with real timing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="The console's URL.")
        parser.add_argument(
            "--business",
            action="append",
            dest="slugs",
            help="Business slug (repeatable). Default: the demo businesses.",
        )
        parser.add_argument("--concurrency", type=int, default=2, help="Calls at once, each.")
        parser.add_argument("--calls", type=int, default=3, help="Calls per business.")
        parser.add_argument("--forever", action="store_true", help="Keep calling (make run).")
        parser.add_argument(
            "--speed", type=float, default=1.0, help="Time factor: 2 = twice as fast, 0 = no waits."
        )
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        slugs = opts["slugs"] or list(DEMO_SLUGS)
        businesses = list(Business.objects.filter(slug__in=slugs))
        missing = set(slugs) - {b.slug for b in businesses}
        if missing:
            raise CommandError(f"No such business: {', '.join(sorted(missing))}")
        targets = []
        for business in businesses:
            # A key of its own, so the simulator is visible (and revocable) in the console;
            # `tools`: its calls book, move and cancel for real.
            created = api_key_create(
                business=business, name="Call simulator", scopes=["ingest", "tools"]
            )
            targets.append(Target(name=business.name, kind=business.kind, key=created.secret))
        calls = None if opts["forever"] else opts["calls"]
        verbosity = opts["verbosity"]
        sent = simulation_run(
            targets=targets,
            url=opts["url"],
            concurrency=opts["concurrency"],
            speed=opts["speed"],
            calls=calls,
            seed=opts["seed"],
            log=(lambda line: self.stdout.write(line)) if verbosity > 1 else None,
        )
        self.stdout.write(f"{sent} events sent")
