"""The one list of web (HTML) routers. Every one gets CSRF protection."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from spotter.config import Settings
from spotter.web import csrf_protect

PAGE_ROUTERS: list = []


def install_pages(app: FastAPI, settings: Settings) -> None:
    for router in PAGE_ROUTERS:
        app.include_router(router, dependencies=[Depends(csrf_protect)], include_in_schema=False)
