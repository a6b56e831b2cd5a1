"""Group commit: concurrent requests share one transaction.

Django runs each request's sync code in a thread of its own, so under load several ingest
requests of one server process wait on the database at once, each paying its own BEGIN, call
lock, inserts, update and COMMIT. Here the first request to arrive runs its transaction at
once (an idle server adds no wait); requests that arrive meanwhile queue, and when it ends
the first of them runs one transaction for all of them. Each still gets its own result;
the results are as if they had run one after the other, in arrival order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass
class _Waiting(Generic[Item, Result]):
    item: Item
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    result: Result | None = None
    error: BaseException | None = None


_lock = threading.Lock()
_queue: list[_Waiting] = []
_running = False


def grouped(
    run: Callable[[list[Item]], list[Result]],
    item: Item,
    *,
    before_wait: Callable[[], None] | None = None,
) -> Result:
    """`run(items)` for this item and whatever queued beside it; this item's result. `run`
    must return one result per item, in order, and be the same function for every caller.
    `before_wait` runs when this caller waits for another's transaction (to give back its
    database connection meanwhile)."""
    global _running
    me: _Waiting[Item, Result] = _Waiting(item)
    with _lock:
        _queue.append(me)
        if not _running:
            _running = True
            me.lead = True
    if not me.lead:
        if before_wait is not None:
            before_wait()
        me.done.wait()
    if me.lead:
        _lead(run)
    if me.error is not None:
        raise me.error
    return me.result  # type: ignore[return-value]


def _lead(run: Callable[[list[Item]], list[Result]]) -> None:
    global _running
    with _lock:
        group = list(_queue)
        _queue.clear()
    try:
        results = run([w.item for w in group])
    except BaseException as exc:  # each request answers for the group's failure
        for waiting in group:
            waiting.error = exc
    else:
        for waiting, result in zip(group, results, strict=True):
            waiting.result = result
    finally:
        with _lock:
            successor = _queue[0] if _queue else None
            if successor is None:
                _running = False
            else:
                successor.lead = True  # it runs the next group in its own thread
        for waiting in group:
            waiting.done.set()
        if successor is not None:
            successor.done.set()
