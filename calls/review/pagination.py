"""Paging the reviewers' calls list at 100,000 calls.

Two costs grow with the table: counting every match, and OFFSET, which makes the database
build (and join) every skipped row. So the count stops at COUNT_CAP ("10,000+" calls: narrow
the filters to go further), and a page is fetched by a deferred join: the page's ids are
picked on the list index alone, then only those rows are loaded with their calls.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

COUNT_CAP = 10_000


class ReviewListPaginator(Paginator):
    object_list: QuerySet[Any]

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()
        self.capped = found > COUNT_CAP
        return min(found, COUNT_CAP)

    capped = False

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        ids = self.object_list.values("pk")[bottom:top]
        rows = list(self.object_list.filter(pk__in=ids))
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]
