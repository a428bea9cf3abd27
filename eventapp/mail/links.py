"""Absolute links for messages, built the same way in a request and in a background job."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """The full address of a page, for a message: PUBLIC_BASE_URL if set, else the request's."""
    base = str(current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if base:
        adapter = current_app.url_map.bind("localhost")
        return base + adapter.build(endpoint, values)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    raise RuntimeError("Set PUBLIC_BASE_URL: links in background mail need the public address")
