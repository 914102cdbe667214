"""The README's contents list (session 46: a new user found the 4,400-line README hard to find their way in):
every section is listed, and every entry's link reaches its heading (GitHub's anchor rule)."""
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _anchor(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped (letters of any script kept), spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def _headings(text: str) -> list:
    found, fenced = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{2,3} ", line):
            level, title = line.split(" ", 1)
            found.append((len(level), title))
    return found


def test_every_section_is_in_the_contents_and_every_entry_reaches_its_heading():
    text = README.read_text(encoding="utf-8")
    contents = text.split("\n## Contents\n", 1)[1].split("\n## ", 1)[0]
    links = re.findall(r"^\s*- \[[^\]]+\]\(#([^)]+)\)$", contents, flags=re.M)
    headings = [(level, title) for level, title in _headings(text) if title != "Contents"]
    anchors = {_anchor(title) for _, title in headings}
    assert links and set(links) <= anchors, set(links) - anchors
    assert {_anchor(title) for level, title in headings if level == 2} <= set(links)
    assert len(links) == len(set(links))
