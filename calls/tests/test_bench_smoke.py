"""bench/ingest.py --smoke on the PostgreSQL + Redis run: the benchmark and its baselines
still run against the production server, nothing errs and no live update goes missing.
(Its floors need a quiet machine; this only keeps the benchmark working, in < 1 min.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from conftest import env_on_test_database

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_ingest_benchmark_runs_its_figures_beside_their_baselines() -> None:
    env = {
        **env_on_test_database(),
        "REDIS_URL": settings.REDIS_URL,
        "CHANNELS_PREFIX": settings.CHANNELS_PREFIX,
    }
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(ROOT / "bench" / "ingest.py"), "--smoke", "--workers", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    out = result.stdout
    assert "raw executemany" in out and "raw one-row-per-commit" in out
    assert "raw publish -> all" in out and "missing 0/" in out
    assert out.count("ratio") >= 3
