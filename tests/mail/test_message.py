"""The message builder, byte for byte: every header, boundary and part of a known message.

Pure tests (no app, no database): the random boundaries are replaced by counters, so a
change to any header name, value, encoding or separator shows up as a difference.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from eventapp.mail import message as m
from eventapp.mail.message import (
    MAX_ATTACHMENT_BYTES,
    MAX_NAME,
    MAX_SUBJECT,
    Attachment,
    BadAddressError,
    Parts,
    build_email,
    check_attachments,
    clean_address,
    display_name,
    new_message_id,
    single_line,
    split_sender,
)

DATE = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
B0 = "=_" + "0" * 32
B1 = "=_" + "0" * 31 + "1"


@pytest.fixture(autouse=True)
def counted_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = itertools.count()
    monkeypatch.setattr(m.secrets, "token_hex", lambda n: f"{next(counter):0{2 * n}d}")


def minimal(
    *attachments: Attachment, subject: str = "s", text: str = "t", id_: str = "<i@x>"
) -> Parts:
    """The smallest message, with these files."""
    return Parts("a@x.org", "b@x.org", "", subject, text, "h", id_, attachments=attachments)


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def test_a_plain_message_is_exactly_this() -> None:
    parts = Parts(
        sender="Riverside Council <events@riverside.gov.uk>",
        recipient="ann@Example.ORG",
        recipient_name="Ann O'Neil",
        subject="Your place at the roundtable",
        text="Hello Ann,\nSee you there = soon.\n",
        html="<p>Hello Ann</p>",
        message_id="<abc@riverside.gov.uk>",
        reply_to="Officer <officer@riverside.gov.uk>",
        kind="t",
    )
    expected = f"""From: Riverside Council <events@riverside.gov.uk>
To: Ann O'Neil <ann@example.org>
Reply-To: Officer <officer@riverside.gov.uk>
Subject: Your place at the roundtable
Date: Mon, 30 Nov 2026 09:30:00 +0000
Message-ID: <abc@riverside.gov.uk>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="{B0}"
Auto-Submitted: auto-generated
X-Auto-Response-Suppress: OOF, AutoReply

--{B0}
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Hello Ann,
See you there =3D soon.

--{B0}
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

<p>Hello Ann</p>
--{B0}--
"""
    assert build_email(parts, date=DATE) == crlf(expected)


def test_a_message_with_files_is_exactly_this() -> None:
    parts = Parts(
        sender="events@riverside.gov.uk",
        recipient="zoe@exämple.org",
        recipient_name="Zoë Ørsted",
        subject="Évaluation de l’événement – résumé complet des réponses",
        text="x",
        html="y",
        message_id="<m@x>",
        attachments=(
            Attachment("événement.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR\r\n"),
            Attachment("report.pdf", "application/pdf", b"%PDF-1.7"),
        ),
    )
    expected = f"""From: events@riverside.gov.uk
To: =?utf-8?b?Wm/DqyDDmHJzdGVk?= <zoe@xn--exmple-cua.org>
Subject: =?utf-8?b?w4l2YWx1YXRpb24gZGUgbOKAmcOpdsOpbmVtZW50IOKAkyByw6lzdW3DqSBj?= \
=?utf-8?b?b21wbGV0IGRlcyByw6lwb25zZXM=?=
Date: Mon, 30 Nov 2026 09:30:00 +0000
Message-ID: <m@x>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="{B1}"
Auto-Submitted: auto-generated
X-Auto-Response-Suppress: OOF, AutoReply

--{B1}
Content-Type: multipart/alternative; boundary="{B0}"

--{B0}
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

x
--{B0}
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

y
--{B0}--

--{B1}
Content-Type: text/calendar; method=REQUEST; name="_v_nement.ics"
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
 filename*0*=utf-8''%C3%A9v%C3%A9nement.ics;
 filename="_v_nement.ics"

QkVHSU46VkNBTEVOREFSDQo=

--{B1}
Content-Type: application/pdf; name="report.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
 filename="report.pdf"

JVBERi0xLjc=

--{B1}--
"""
    assert build_email(parts, date=DATE) == crlf(expected)


def test_a_long_name_is_split_into_numbered_pieces_of_sixty() -> None:
    name = "é" * 25 + ".pdf"  # 25 × "%C3%A9" = 150 characters, then ".pdf"
    parts = minimal(Attachment(name, "application/pdf", b""))
    raw = build_email(parts, date=DATE).decode()
    assert (
        "Content-Disposition: attachment;\r\n"
        " filename*0*=utf-8''" + "%C3%A9" * 10 + ";\r\n"
        " filename*1*=" + "%C3%A9" * 10 + ";\r\n"
        " filename*2*=" + "%C3%A9" * 5 + ".pdf;\r\n"
        ' filename="' + "_" * 25 + '.pdf"\r\n\r\n'
    ) in raw


def test_base64_lines_are_76_characters() -> None:
    parts = minimal(Attachment("a.bin", "application/octet-stream", bytes(200)))
    raw = build_email(parts, date=DATE).decode()
    body = raw.split('filename="a.bin"\r\n\r\n')[1].split("\r\n\r\n--")[0]
    assert [len(line) for line in body.split("\r\n")] == [76, 76, 76, 40]


def test_bodies_use_crlf_whatever_line_endings_they_came_with() -> None:
    parts = minimal(text="one\rtwo\r\nthree\nfour")
    raw = build_email(parts, date=DATE)
    assert b"one\r\ntwo\r\nthree\r\nfour\r\n--" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_a_non_ascii_message_id_is_refused() -> None:
    parts = minimal(id_="<é@x>")
    with pytest.raises(ValueError, match="^The Message-ID header would not be one line of ASCII$"):
        build_email(parts, date=DATE)


# Header words ------------------------------------------------------------------------


def test_ascii_header_text_is_left_alone_and_others_become_encoded_words() -> None:
    assert m._encoded("Plain subject") == "Plain subject"
    assert m._encoded("é") == "=?utf-8?b?w6k=?="
    # 45 bytes fit in one word; the 46th starts the next.
    assert (
        m._encoded("é" * 22 + "a")
        == "=?utf-8?b?" + "w6k" * 0 + m.base64.b64encode(("é" * 22 + "a").encode()).decode() + "?="
    )
    two = m._encoded("é" * 23)
    assert two.count("=?utf-8?b?") == 2
    assert all(len(word) <= 75 for word in two.split(" "))


def test_addresses_with_and_without_names() -> None:
    assert m._address("", "a@x.org") == "a@x.org"
    assert m._address("Ann Smith", "a@x.org") == "Ann Smith <a@x.org>"
    assert m._address("Ann, Bob", "a@x.org") == "Ann Bob <a@x.org>"
    assert m._address("Zoë", "a@x.org") == "=?utf-8?b?Wm/Dqw==?= <a@x.org>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ann@Example.ORG", "Ann@example.org"),
        (" ann@example.org ", "ann@example.org"),
        ("ann@exämple.org", "ann@xn--exmple-cua.org"),
    ],
)
def test_clean_address_normalises(value: str, expected: str) -> None:
    assert clean_address(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "ann",
        "ann@",
        "ann@example.org\r\nBcc: x@y.org",
        "zoë@example.org",
        "a" * 250 + "@x.org",
        None,
    ],
)
def test_clean_address_refuses(value: str) -> None:
    with pytest.raises(BadAddressError, match="^Enter an email address in the correct format"):
        clean_address(value)


def test_split_sender_reads_both_forms() -> None:
    assert split_sender("Riverside <events@riverside.gov.uk>") == (
        "Riverside",
        "events@riverside.gov.uk",
    )
    assert split_sender("events@riverside.gov.uk") == ("", "events@riverside.gov.uk")


def test_single_line_and_display_name() -> None:
    assert single_line(" a\r\nb\tc\x00d\u2028e ") == "a b c d e"
    assert single_line("abcdef", limit=3) == "abc"
    assert single_line(None) == ""  # type: ignore[arg-type]
    assert display_name('  Ann "The Boss" <x@y>; Bob\\ ') == "Ann The Boss x y Bob"
    assert len(display_name("n" * 500)) == MAX_NAME == 200


def test_message_ids_are_random_and_keep_only_host_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.undo()
    first, second = new_message_id("mail.example.org"), new_message_id("mail.example.org")
    assert first != second
    assert m.re.fullmatch(r"<[0-9a-f]{32}@mail\.example\.org>", first)
    assert new_message_id("bad host/\r\n").endswith("@badhost>")
    assert new_message_id("").endswith("@eventapp.local>")


def test_the_subject_limit() -> None:
    assert MAX_SUBJECT == 300
    parts = minimal(subject="s" * 400)
    assert f"Subject: {'s' * 300}\r\nDate" in build_email(parts, date=DATE).decode()


def test_files_up_to_the_limit_are_accepted_and_one_byte_more_is_not() -> None:
    assert MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024
    half = MAX_ATTACHMENT_BYTES // 2
    check_attachments((Attachment("a", "x/y", b"0" * half), Attachment("b", "x/y", b"0" * half)))
    with pytest.raises(ValueError, match=r"^The attachments come to 10,485,761 bytes; the most"):
        check_attachments(
            (Attachment("a", "x/y", b"0" * half), Attachment("b", "x/y", b"0" * (half + 1)))
        )


def test_attachment_errors_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match=r"^Not a MIME type: None$"):
        Attachment("a", None, b"")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^An attachment's data must be bytes$"):
        Attachment("a", "text/plain", "text")  # type: ignore[arg-type]
    assert Attachment("a", 'text/plain; charset="utf-8"', b"").content_type.endswith('"utf-8"')


def test_a_piece_of_a_long_name_never_passes_sixty_characters() -> None:
    name = "a" + "é" * 25 + ".pdf"
    parts = minimal(Attachment(name, "application/pdf", b""))
    raw = build_email(parts, date=DATE).decode()
    assert "filename*0*=utf-8''a" + "%C3%A9" * 9 + ";\r\n filename*1*=%C3%A9" in raw


def test_an_ellipsis_in_a_name_is_encoded_too() -> None:
    parts = minimal(Attachment("Report… final.pdf", "application/pdf", b""))
    raw = build_email(parts, date=DATE).decode()
    assert "filename*0*=utf-8''Report%E2%80%A6%20final.pdf;" in raw


def test_a_type_parameter_outside_ascii_is_refused_when_built() -> None:
    parts = minimal(Attachment("a.txt", 'text/plain; title="café"', b""))
    with pytest.raises(ValueError, match="^An attachment header would not be ASCII$"):
        build_email(parts, date=DATE)


def test_the_builder_itself_refuses_files_too_large_to_send() -> None:
    big = Attachment("a.bin", "application/octet-stream", bytes(MAX_ATTACHMENT_BYTES + 1))
    parts = minimal(big)
    with pytest.raises(ValueError, match="^The attachments come to"):
        build_email(parts, date=DATE)


def test_the_longest_address_allowed_is_accepted() -> None:
    longest = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".org"
    assert len(longest) == 254
    assert clean_address(longest) == longest
