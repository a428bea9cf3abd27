"""What the service attributes to the handbook is in the handbook (QUALITY.md property 28).

Two nets: every registered quotation is found in the handbook's text; and every phrase in
the code or templates that attributes something to the handbook comes with a quotation (from
the registry, or typed out and then found in the handbook), not a paraphrase.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

# Importing these registers their quotations.
import eventapp.agenda.timings  # noqa: F401
from eventapp.handbook import QUOTES, Quote, quotation

ROOT = Path(__file__).resolve().parents[2]
HANDBOOK_FILE = Path(__file__).with_name("community-events-handbook.md")
SHARED_HANDBOOK = ROOT.parent / "shared/handbook/community-events-handbook.md"


def normalise(text: str) -> str:
    """Whitespace, quote marks and emphasis markup only: the words must stay the same."""
    text = re.sub(r"</?(i|u|b|em|strong)>", "", text)
    text = text.replace("**", "").replace("*", "")
    text = text.replace("\u2018", "'").replace("\u2019", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", '"')
    return re.sub(r"\s+", " ", text).strip()


HANDBOOK = normalise(HANDBOOK_FILE.read_text(encoding="utf-8"))


def in_handbook(text: str) -> bool:
    """True when the text occurs in the handbook; " … " joins parts found in that order."""
    at = 0
    for part in normalise(text).split(" … "):
        found = HANDBOOK.find(part.strip(), at)
        if found < 0:
            return False
        at = found + len(part.strip())
    return True


def test_the_copy_in_the_repository_is_the_shared_handbook() -> None:
    if not SHARED_HANDBOOK.exists():
        pytest.skip("no shared handbook next to this clone")
    assert HANDBOOK_FILE.read_text(encoding="utf-8") == SHARED_HANDBOOK.read_text(encoding="utf-8")


@pytest.mark.parametrize("found", list(QUOTES.values()), ids=list(QUOTES))
def test_every_registered_quotation_is_in_the_handbook(found: Quote) -> None:
    assert found.text.strip(), "empty quotation"
    assert in_handbook(found.text), f"not in the handbook: {found.text!r}"
    # The section it cites is a heading of the handbook.
    assert found.section in HANDBOOK, f"no section {found.section!r}"


@pytest.mark.parametrize(
    "broken",
    [
        "Two or three speakers should be plenty.",
        "Keep at least 10% of the slot free.",
        "Home Office Prevent sends PowerPoint slides and online films on the day of the event.",
    ],
)
def test_the_check_fails_on_a_string_that_is_not_in_the_handbook(broken: str) -> None:
    assert not in_handbook(broken)


def test_normalising_keeps_words_and_only_evens_out_spacing_and_quotes() -> None:
    assert in_handbook("It's always best to circulate the form as soon after the event as  possible")
    assert in_handbook("don\u2019t overfill the agenda")
    assert not in_handbook("dont overfill the agenda")


def test_a_key_is_registered_once() -> None:
    with pytest.raises(ValueError, match="twice"):
        quotation("agenda_speakers", "Setting the agenda", "Two or three speakers should be enough.")


# --- the code and templates -------------------------------------------------------------

SOURCES = sorted(
    [*ROOT.joinpath("eventapp").rglob("*.py"), *ROOT.joinpath("templates").rglob("*.html")]
)

CURLY = re.compile(r"“([^”]+)”")


def _python_strings(source: str) -> list[str]:
    """The strings a Python module can show: its literals, docstrings left out.

    An f-string's placeholders become "{}"; adjacent literals arrive already joined.
    """
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            found.append(
                "".join(
                    v.value if isinstance(v, ast.Constant) else "{}" for v in node.values
                )
            )
            docstrings.update(id(v) for v in node.values)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            found.append(node.value)
    return found


def _shown_texts() -> list[tuple[str, str]]:
    """(file, text) for every piece of text the service may show: literals and templates."""
    texts = []
    for path in SOURCES:
        where = str(path.relative_to(ROOT))
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            texts += [(where, text) for text in _python_strings(source)]
        else:
            texts.append((where, re.sub(r"\{#.*?#\}", "", source, flags=re.S)))
    return texts


# A phrase that tells the reader the handbook says something.
ATTRIBUTION = re.compile(
    r"(?i)(from the handbook(?!['’]s)|the handbook (says|asks|calls|suggests|recommends|tells)"
    r"|advice from the handbook|in the handbook's words)"
)
# What must come with it: a quotation mark opening within the same sentence, or the phrase
# is the lead-in of the handbook_says macro, which prints a registered quotation after it.
QUOTED_NEXT = re.compile(r"^[^.!?<]{0,40}?“")
MACRO_LEAD = re.compile(r"handbook_(says|block)\(")


def _attributions() -> list[tuple[str, str, str]]:
    return [
        (where, text[max(0, match.start() - 60) : match.start()], text[match.end() : match.end() + 400])
        for where, text in _shown_texts()
        for match in ATTRIBUTION.finditer(text)
    ]


@pytest.mark.parametrize(("where", "before", "after"), _attributions())
def test_every_attribution_to_the_handbook_is_followed_by_its_words(
    where: str, before: str, after: str
) -> None:
    quoted = QUOTED_NEXT.search(after)
    assert quoted or MACRO_LEAD.search(before), (
        f"{where}: attributes something to the handbook without quoting it: {after[:120]!r}"
    )
    if quoted:
        # A quotation typed out in place (not taken from the registry) must be the handbook's.
        typed = CURLY.match(after, quoted.end() - 1)
        assert typed, f"{where}: an opening quotation mark with no closing one"
        if "{" not in typed.group(1) and "~" not in typed.group(1):
            assert in_handbook(typed.group(1)), f"{where}: “{typed.group(1)}” is not in the handbook"


@pytest.mark.parametrize(
    "planted",
    [
        "The handbook says to keep 10% of the slot free.",
        "From the handbook: keep a tenth of the slot free.",
        "The handbook says “keep a tenth of the slot free”.",
    ],
)
def test_the_attribution_check_fails_on_a_paraphrase_or_a_made_up_quotation(planted: str) -> None:
    (match,) = ATTRIBUTION.finditer(planted)
    after = planted[match.end() :]
    quoted = QUOTED_NEXT.search(after)
    made_up = quoted and not in_handbook(CURLY.match(after, quoted.end() - 1).group(1))
    assert not quoted or made_up
