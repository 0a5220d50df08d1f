"""`serve_site(name) -> base_url`: fixture sites on 127.0.0.1, one server per name per session.

`serve_site.requests(name)` is the server-side log of requested paths (robots.txt checks).
"""

from __future__ import annotations

import pytest

from tests.crawl_helpers import SiteServer


class _Sites:
    def __init__(self):
        self.servers: dict[str, SiteServer] = {}

    def __call__(self, name: str) -> str:
        if name not in self.servers:
            self.servers[name] = SiteServer(name)
        return self.servers[name].base_url

    def requests(self, name: str) -> list[str]:
        return self.servers[name].requests

    def close(self) -> None:
        for server in self.servers.values():
            server.close()


@pytest.fixture(scope="session")
def serve_site():
    sites = _Sites()
    yield sites
    sites.close()
