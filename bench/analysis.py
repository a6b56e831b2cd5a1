"""Offline analysis benchmark (issue 13):

    .venv/bin/python bench/analysis.py [--rounds 3]

In one process shaped like a Celery worker (Django set up, the Celery app imported), it
measures:
  1. cold load: the sentence-embedding model and the language detector, first use;
  2. the worker's resident memory (RSS) before and after loading them;
  3. analysis_run per call over the labelled set (calls/analysis/eval/*.yaml), p50/p95,
     with the sentence cache emptied before each call so every call is embedded afresh,
     as a new call would be;
  4. red_flags_find per call, and per live segment (the detector re-run on the caller's
     utterances so far as each arrives, as the live alerts do);
  5. the raw baseline, in the same run: the bare `model.encode` of the same sentences per
     call, so the figures above read as "model time + our time".
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  (n={len(ordered)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3, help="passes over the labelled set")
    args = parser.parse_args()

    rss_start = rss_mib()
    import django

    django.setup()
    import console.celery  # noqa: F401  (a worker imports the app and its tasks)
    from calls.analysis import embedding, language
    from calls.analysis.evaluation import examples_load
    from calls.analysis.language import language_detect
    from calls.analysis.offline import analysis_run
    from calls.analysis.red_flags import red_flags_find, sentences_split

    rss_django = rss_mib()
    examples = examples_load()

    start = time.perf_counter()
    model = embedding.model_load()
    model_load_s = time.perf_counter() - start
    start = time.perf_counter()
    language_detect(["warm the language detector"])
    detector_load_s = time.perf_counter() - start
    rss_loaded = rss_mib()
    start = time.perf_counter()
    analysis_run(examples[0].call)  # embeds every example phrasing once
    first_call_s = time.perf_counter() - start

    analysis_times: list[float] = []
    flag_times: list[float] = []
    segment_times: list[float] = []
    raw_times: list[float] = []
    for _ in range(args.rounds):
        for example in examples:
            lines = example.call.caller_lines
            sentences = sentences_split(lines)
            embedding._cache.clear()
            language._scores.cache_clear()
            start = time.perf_counter()
            model.encode(
                sentences, batch_size=32, normalize_embeddings=True, show_progress_bar=False
            )
            raw_times.append(time.perf_counter() - start)

            embedding._cache.clear()
            language._scores.cache_clear()
            start = time.perf_counter()
            analysis_run(example.call)
            analysis_times.append(time.perf_counter() - start)

            embedding._cache.clear()
            language._scores.cache_clear()
            start = time.perf_counter()
            red_flags_find(lines)
            flag_times.append(time.perf_counter() - start)

            embedding._cache.clear()
            language._scores.cache_clear()
            for count in range(1, len(lines) + 1):
                start = time.perf_counter()
                red_flags_find(lines[:count])
                segment_times.append(time.perf_counter() - start)
    rss_end = rss_mib()

    print(f"offline analysis bench: {len(examples)} labelled calls x {args.rounds} rounds")
    print(f"cold model load (all-MiniLM-L6-v2, CPU)  {model_load_s * 1000:8.0f} ms")
    print(f"cold language detector load (lingua)     {detector_load_s * 1000:8.0f} ms")
    print(f"first analysis (embeds the examples)     {first_call_s * 1000:8.0f} ms")
    print(f"analysis_run per call                    {percentiles(analysis_times)}")
    print(f"red_flags_find per call                  {percentiles(flag_times)}")
    print(f"red_flags_find per live segment          {percentiles(segment_times)}")
    print(f"raw baseline: model.encode per call      {percentiles(raw_times)}")
    print(
        f"worker RSS: bare python {rss_start:6.0f} MiB, Django+Celery app {rss_django:6.0f} MiB, "
        f"model+detector loaded {rss_loaded:6.0f} MiB, after the run {rss_end:6.0f} MiB"
    )


if __name__ == "__main__":
    main()
