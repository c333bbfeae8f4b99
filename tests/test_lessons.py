"""The lesson plans: every timings table adds up to the length its lesson states, and says what each stage needs."""

from __future__ import annotations

import re

import pytest

from bookbuild import myst, toc
from durovbook.paths import ROOT

LENGTH = re.compile(r"(\d+)[ -]minutes?\b")
RANGE = re.compile(r"^(\d+)\s*[–-]\s*(\d+)$")


def timings_tables(text: str) -> list[myst.Table]:
    """The tables whose first column is "minutes": a lesson's stages."""
    return [t for t in myst.tables(text) if t.header and t.header[0].strip().lower() == "minutes"]


def stated_length(table: myst.Table) -> int | None:
    """The length a lesson states: in the paragraph right before its table, else in the heading above it."""
    for text in (table.before, table.heading):
        if text and (match := LENGTH.search(text)):
            return int(match.group(1))
    return None


def gaps(table: myst.Table, length: int) -> list[str]:
    """What is wrong with the stages' minutes: a gap, an overlap, a wrong start or end. Empty when they add up."""
    problems, clock = [], 0
    for row in table.rows:
        match = RANGE.match(row[0])
        if not match:
            problems.append(f"{row[0]!r} is not a range of minutes such as 0–5")
            continue
        start, end = map(int, match.groups())
        if start != clock:
            problems.append(f"the stage {row[0]} starts at minute {start}, not {clock}")
        if end <= start:
            problems.append(f"the stage {row[0]} ends before it starts")
        clock = end
    if clock != length:
        problems.append(f"the stages end at minute {clock}, not at the stated {length}")
    return problems


def _pages_with_timings():
    for page in toc.pages():
        path = toc.source(ROOT, page)
        if path.suffix == ".md":
            for table in timings_tables(path.read_text(encoding="utf-8")):
                yield pytest.param(table, id=f"{page}:{table.start + 1}")


TABLES = list(_pages_with_timings())


def test_the_guide_and_the_debate_have_timings_tables():
    ids = [p.id for p in TABLES]
    assert sum(i.startswith("teacher/lessons:") for i in ids) >= 4  # 50 minutes, lessons 1 and 2, the debate
    assert any(i.startswith("chapters/privacy:") for i in ids)


@pytest.mark.parametrize("table", TABLES)
def test_each_lesson_s_timings_add_up_to_its_stated_length(table):
    length = stated_length(table)
    assert length, f"line {table.start + 1}: no length stated (\"50 minutes\") in the heading or the paragraph before"
    assert gaps(table, length) == []


def test_each_stage_of_the_guide_says_what_it_needs_on_paper_and_on_screen():
    text = (ROOT / "teacher" / "lessons.md").read_text(encoding="utf-8")
    for table in timings_tables(text):
        header = [h.lower() for h in table.header]
        assert "on paper" in header and "on the board or screen" in header, table.heading
        paper, screen = header.index("on paper"), header.index("on the board or screen")
        for row in table.rows:
            assert row[paper] and row[screen], f"{table.heading}, {row[0]}: say what the stage needs, or 'nothing'"
            assert not (row[paper] == "nothing" and row[screen] == "nothing") or "exit" in row[1].lower(), row


def test_each_plan_has_a_variant_without_computers():
    text = (ROOT / "teacher" / "lessons.md").read_text(encoding="utf-8")
    sections = re.split(r"(?m)^#{2,3} ", text)
    plans = [s for s in sections if timings_tables("## " + s)]
    assert len(plans) >= 4
    for plan in plans:
        assert "**Without computers.**" in plan, plan.splitlines()[0]


def _table(rows: str, heading: str = "## A lesson (50 minutes)") -> myst.Table:
    (table,) = timings_tables(f"{heading}\n\n| minutes | stage |\n|---|---|\n{rows}")
    return table


def test_a_gap_an_overlap_and_a_short_lesson_are_found():
    assert gaps(_table("| 0–10 | a |\n| 10–50 | b |\n"), 50) == []
    assert "starts at minute 12, not 10" in gaps(_table("| 0–10 | a |\n| 12–50 | b |\n"), 50)[0]
    assert "starts at minute 8, not 10" in gaps(_table("| 0–10 | a |\n| 8–50 | b |\n"), 50)[0]
    assert "not at the stated 50" in gaps(_table("| 0–10 | a |\n| 10–45 | b |\n"), 50)[0]
    assert "not a range" in gaps(_table("| 0 to 10 | a |\n"), 10)[0]


def test_the_length_comes_from_the_paragraph_before_the_table_or_the_heading():
    assert stated_length(_table("| 0–5 | a |\n", "## A debate\n\n**Timings (45 minutes).**")) == 45
    assert stated_length(_table("| 0–5 | a |\n", "## A lesson of 50 minutes")) == 50
    assert stated_length(_table("| 0–5 | a |\n", "## A lesson")) is None
