"""Plain text from an HTML fragment or a scraped string (BeautifulSoup, imported only when needed)."""

from __future__ import annotations

import re

_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "dd",
    "dt",
    "blockquote",
    "hr",
)


def clean_text(html_or_text: str | None) -> str:
    """HTML fragment or text -> plain text: scripts/styles and tags dropped, entities decoded, spaces collapsed.

    Block elements become word breaks; inline tags (<b>, <a>) join without adding spaces, so
    "<b>drills</b>." stays "drills.".
    """
    if not html_or_text:
        return ""
    s = str(html_or_text)
    if "<" in s or "&" in s:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(s, "html.parser")
        for tag in soup(["script", "style", "noscript", "template"]):
            tag.decompose()
        for tag in soup.find_all(_BLOCK_TAGS):
            tag.insert_before(" ")
            tag.insert_after(" ")
        s = soup.get_text("")
    return re.sub(r"\s+", " ", s).strip()
