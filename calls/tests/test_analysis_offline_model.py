from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from calls.analysis import embedding

ROOT = Path(__file__).resolve().parents[2]

# In a fresh process with every socket refused: the model must load from the package and
# encode without reaching any hub.
OFFLINE_LOAD = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network used")
socket.socket.connect = refuse
socket.create_connection = refuse
from calls.analysis.embedding import sentences_embed
vectors = sentences_embed(["my chest feels heavy", "I'd like a haircut"])
print(vectors.shape)
"""


def test_the_model_loads_and_encodes_with_the_network_refused() -> None:
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", OFFLINE_LOAD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("(2, 384)")


def test_the_model_is_loaded_once_per_process() -> None:
    first = embedding.model_load()
    assert embedding.model_load() is first and embedding.model_loaded()
