"""Template filters for dates, times and numbers in the GOV.UK style, in UK time."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup

from eventapp.models.base import utcnow

LONDON = ZoneInfo("Europe/London")


def uk_today(now: datetime | None = None) -> date:
    """Today's date in the UK (the server's clock is UTC: from 23:00 to midnight UTC in
    summer, the UK is already on the next day)."""
    return (now or utcnow()).astimezone(LONDON).date()


def to_local(value: datetime) -> datetime:
    """A UTC datetime as UK local time."""
    return value.astimezone(LONDON)


def govuk_date(value: date | datetime | None) -> str:
    """'5 March 2027' (and for datetimes, the UK-local date)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return f"{value.day} {value:%B %Y}"


def govuk_time(value: datetime | None) -> str:
    """'6pm', '6:30pm', 'midday' — the GOV.UK style, in UK local time."""
    if value is None:
        return ""
    local = to_local(value)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def govuk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{govuk_date(value)} at {govuk_time(value)}"


def number(value: Decimal | int | float | None) -> str:
    """A number without needless decimals: 15, 5, 2.5."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        text = format(value, "f")
    else:
        text = f"{value:g}"
    return text


def css_string(value: object) -> Markup:
    """Text as a quoted CSS string, for ``content:`` in a <style> block (the PDF's running
    header): letters, digits and spaces as they are, every other character as a CSS escape,
    so nothing can end the string or the style element and the text prints as typed (HTML
    escaping would print "&amp;" there: a style element's text is not HTML)."""
    text = "" if value is None else str(value)
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')  # noqa: S704 - only letters, digits, spaces and escapes


def init_app(app: Flask) -> None:
    app.add_template_filter(govuk_date, "govuk_date")
    app.add_template_filter(govuk_time, "govuk_time")
    app.add_template_filter(govuk_datetime, "govuk_datetime")
    app.add_template_filter(number, "number")
    app.add_template_filter(css_string, "css_string")
