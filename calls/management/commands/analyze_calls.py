"""(Re)run the post-call analysis.

manage.py analyze_calls --pending            # ended calls with no current-version analysis
manage.py analyze_calls --all [--business S] # every ended call (a new analyzer version)
manage.py analyze_calls CALL_ID ... --business S
--queue sends them to the Celery worker instead of running here.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from calls.analysis.pipeline import call_analyze, calls_unanalysed
from calls.models import Call
from calls.tasks import calls_analysis_queue
from console.tenancy.models import Business


class Command(BaseCommand):
    help = "Run the post-call analysis on ended calls (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("call_ids", nargs="*", help="Gateway call ids (needs --business).")
        parser.add_argument("--business", help="A business's slug.")
        parser.add_argument("--pending", action="store_true", help="Only calls not analysed yet.")
        parser.add_argument("--all", action="store_true", help="Every ended call.")
        parser.add_argument("--queue", action="store_true", help="Queue on Celery instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        business = None
        if options["business"]:
            business = Business.objects.filter(slug=options["business"]).first()
            if business is None:
                raise CommandError(f"No business with slug {options['business']!r}.")
        calls = Call.objects.filter(status=Call.Status.ENDED)
        if business is not None:
            calls = calls.filter(business=business)
        if options["call_ids"]:
            if business is None:
                raise CommandError("Give --business with call ids (ids are per business).")
            pks = list(calls.filter(call_id__in=options["call_ids"]).values_list("pk", flat=True))
            if len(pks) != len(set(options["call_ids"])):
                raise CommandError("Some of those calls do not exist or have not ended.")
        elif options["all"]:
            pks = list(calls.order_by("pk").values_list("pk", flat=True))
        elif options["pending"]:
            pks = calls_unanalysed(business_id=business.pk if business else None)
        else:
            raise CommandError("Say which calls: CALL_ID …, --pending or --all.")
        if options["queue"]:
            calls_analysis_queue(call_pks=pks)
            self.stdout.write(f"queued {len(pks)} calls")
            return
        done = sum(1 for pk in pks if call_analyze(call_pk=pk) is not None)
        self.stdout.write(f"analysed {done} calls")
