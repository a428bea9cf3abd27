"""URL converters: ids stay in range on every route; token arguments never reach the logs."""

from __future__ import annotations

import logging

import pytest

from eventapp.routing import MAX_ID, REQUEST_LOGGERS, redact


@pytest.mark.parametrize("value", [0, -1, MAX_ID + 1, 2**63, 2**64 + 5, "9" * 40])
def test_ids_out_of_range_are_not_found(app, signed_in, value) -> None:
    assert signed_in.get(f"/events/{value}").status_code == 404
    assert signed_in.get(f"/events/{value}/agenda/").status_code == 404


def test_token_arguments_are_redacted_in_request_lines_and_referrers(app) -> None:
    token = "Zz9_-" * 9
    text = (
        f'127.0.0.1 - - "GET /calendar/{token}.ics HTTP/1.1" 200 - '
        f'"https://events.example.gov.uk/calendar/{token}.ics?x=1" "agent"'
    )
    assert token not in redact(text)
    assert redact(text).count("[redacted]") == 2
    # werkzeug colours redirects and errors: the method follows a colour code, not a space.
    coloured = f'"\x1b[32mPOST /calendar/{token}.ics HTTP/1.1\x1b[0m" 302 -'
    assert token not in redact(coloured) and "[redacted]" in redact(coloured)
    # Paths without token arguments are left alone.
    assert redact('"GET /events/12/agenda HTTP/1.1"') == '"GET /events/12/agenda HTTP/1.1"'


def test_the_filter_is_on_every_request_logger(app) -> None:
    token = "Aa1_" * 12
    for name in REQUEST_LOGGERS:
        record = logging.LogRecord(
            name,
            logging.INFO,
            __file__,
            1,
            '"%s" %s',
            (f"GET /calendar/{token}.ics HTTP/1.1", 200),
            None,
        )
        for log_filter in logging.getLogger(name).filters:
            log_filter.filter(record)
        assert token not in record.getMessage(), name
