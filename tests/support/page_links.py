"""The web pages' routes served on a loopback port, for tests that open links as a browser would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.web_pages.routes import web_page_routes
from bot.core import PivotCore
from bot.messages import Link, Reply


@asynccontextmanager
async def page_client(core: PivotCore) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = web.Application()
    app.add_routes(web_page_routes(core))
    async with TestClient(TestServer(app)) as client:
        yield client


def link_of(reply: Reply) -> Link:
    [link] = [b for b in reply.blocks if isinstance(b, Link)]
    return link


def path_of(url: str) -> str:
    """The path a link's URL asks for, to open on the test server whatever ``PUBLIC_URL`` is."""
    return urlsplit(url).path
