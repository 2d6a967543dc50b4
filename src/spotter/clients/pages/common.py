"""What the client pages share: permission aliases and query parameter shapes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from spotter.core.routing import Router
from spotter.identity.dependencies import Principal
from spotter.web import page_require

# The package's one router: its modules add their routes to it in import order.
router = Router()

ClientsRead = Annotated[Principal, page_require("clients:read")]
ClientsWrite = Annotated[Principal, page_require("clients:write")]
Search = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
Tab = Annotated[str, Query(max_length=20)]
PAGE_SIZE = 20
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
