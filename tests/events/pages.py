"""Reading rendered pages in tests: a small HTML tree, with helpers for GOV.UK components."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        """The visible-ish text, with runs of whitespace collapsed."""
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in ("script", "style"):
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def iter(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, *, cls: str | None = None,
                 where: Callable[[Node], bool] | None = None, **attrs: str) -> list[Node]:
        return [
            n for n in self.iter()
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
            and (where is None or where(n))
        ]

    def find(self, tag: str | None = None, *, cls: str | None = None, **attrs: str) -> Node | None:
        found = self.find_all(tag, cls=cls, **attrs)
        return found[0] if found else None

    def one(self, tag: str | None = None, *, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls=cls, **attrs)
        assert len(found) == 1, f"expected one <{tag} class={cls} {attrs}>, found {len(found)}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def page_title(html: str) -> str:
    title = parse(html).find("title")
    return title.text if title else ""


DATE_FIELDS = frozenset({"day", "measure_by"})


def summary_link(field: str) -> str:
    """Where the error summary links for a field: a date's first box, as GOV.UK asks."""
    return f"#{field}-day" if field in DATE_FIELDS else f"#{field}"


def error_summary(html: str) -> list[tuple[str, str]]:
    """(href, text) of each item in the page's GOV.UK error summaries; href is "" if not a link."""
    items = []
    for summary in parse(html).find_all(cls="govuk-error-summary"):
        for li in summary.find_all("li"):
            link = li.find("a")
            items.append((link.attrs.get("href", "") if link else "", li.text))
    return items


def field_errors(html: str) -> list[str]:
    """The text of every field-level govuk-error-message, without the hidden "Error:"."""
    return [
        re.sub(r"^Error:\s*", "", node.text)
        for node in parse(html).find_all(cls="govuk-error-message")
    ]


def input_value(html: str, name: str) -> str | None:
    node = parse(html).find("input", name=name)
    return None if node is None else node.attrs.get("value", "")


def checked_values(html: str, name: str) -> list[str]:
    return [
        n.attrs.get("value", "")
        for n in parse(html).find_all("input", name=name)
        if "checked" in n.attrs
    ]


def banners(html: str) -> list[str]:
    """Text of notification banners (flashed messages)."""
    return [n.text for n in parse(html).find_all(cls="govuk-notification-banner")]


def main_text(html: str) -> str:
    main = parse(html).find("main")
    return main.text if main else parse(html).text
