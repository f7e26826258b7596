"""The page (`megaroth serve`'s app) in-process, for the scenarios that go through it as a person does."""

from __future__ import annotations

import warnings

import pytest


@pytest.fixture
def page_client():
    pytest.importorskip("httpx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from megaroth.web import create_app

    with TestClient(create_app(allowed_hosts=("testserver",))) as client:
        yield client
