"""One app over the tiny index for all API tests; the `browser` marker for the Chromium test."""
from __future__ import annotations

import pytest


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright (needs `chromium` installed)")


@pytest.fixture(scope="session")
def app(tiny_index):
    from api.server import create_app

    return create_app(tiny_index)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c
