"""Score the analyzer: per-field accuracy, precision and recall.

manage.py evaluate_analysis                 # the labelled set: every calls/analysis/eval/*.yaml
manage.py evaluate_analysis --file F.yaml   # one labelled file
manage.py evaluate_analysis --corrections   # reviewed calls in the database as labels
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from calls.analysis import ANALYZER_VERSION
from calls.analysis.evaluation import evaluate, examples_from_reviews, examples_load
from console.tenancy.models import Business


class Command(BaseCommand):
    help = "Evaluate the post-call analysis against labelled transcripts or review corrections."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--file", help="One labelled transcripts file (default: every eval/*.yaml)."
        )
        parser.add_argument(
            "--corrections",
            action="store_true",
            help="Use reviewed calls (corrections, or accepted answers) as the labels.",
        )
        parser.add_argument("--business", help="With --corrections: one business's slug.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["corrections"]:
            business_id = None
            if options["business"]:
                business = Business.objects.filter(slug=options["business"]).first()
                if business is None:
                    raise CommandError(f"No business with slug {options['business']!r}.")
                business_id = business.pk
            examples = examples_from_reviews(business_id=business_id)
            source = "review corrections"
        elif options["file"]:
            path = Path(options["file"])
            if not path.exists():
                raise CommandError(f"No such file: {path}")
            examples = examples_load(path)
            source = str(path.name)
        else:
            examples = examples_load()
            source = "calls/analysis/eval/*.yaml"
        if not examples:
            raise CommandError("No labelled calls to evaluate.")
        report = evaluate(examples)
        self.stdout.write(f"Analyzer {ANALYZER_VERSION} on {source}")
        for line in report.lines():
            self.stdout.write(line)
        intent = report.fields["intent"]
        self.stdout.write(f"intent accuracy {intent.accuracy:.1%} over {report.examples} calls")
