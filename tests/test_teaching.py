"""Code that teaches: the arithmetic a chapter shows equals the package's function, and "Your turn" runs.

Each visible computation is read from the chapter as written (so editing the
cell without the package, or the package without the cell, fails here), run
after the chapter's import cell, and compared with the helper that computes
the same figure.
"""

from __future__ import annotations

import ast
import re

import pytest

from durovbook.paths import ROOT

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def code_cells(text: str) -> list[str]:
    cells = CELL.findall(text)
    return ["\n".join(line for line in cell.splitlines() if not line.startswith(":")).strip() for cell in cells]


def chapter_text(name: str) -> str:
    return (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8")


def run(source: str, namespace: dict):
    """Run ``source`` in ``namespace`` and return the value of its last expression."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None


def chapter_namespace(name: str, setup: str) -> dict:
    """The chapter's import cell run, then ``setup`` (the loads the chapter did earlier)."""
    namespace: dict = {}
    for cell in code_cells(chapter_text(name)):
        if "import" in cell and "verdict_lines" not in cell:
            exec(cell, namespace)
    exec(setup, namespace)
    return namespace


#: chapter, the loads it did before the cell, the first line of the visible cell, the helper it must equal.
VISIBLE = [
    ("statement", "events = load_case_events()", 'dates = events.set_index("id")["date"]',
     'days_between(events, "detention_le_bourget", "mise_en_examen")'),
    ("users", "users = load_users()", 'first, last = milestone(users, "2018-03-01"), milestone(users, "2024-07-01")',
     'cagr(users, "2018-03-01", "2024-07-01")'),
    ("charges", "charges = load_charges()", '(charges["category"] == "complicity in content or conduct crimes")',
     'charges_by_category(charges).set_index("category").loc["complicity in content or conduct crimes", "share_percent"]'),
    ("privacy", "moderation = load_moderation()", 'latest = latest_figures(moderation).set_index("metric")["value"]',
     'share_of_total(moderation, "csam_groups_channels_blocked")'),
]


@pytest.mark.parametrize("name, setup, first_line, helper", VISIBLE, ids=[v[0] for v in VISIBLE])
def test_visible_arithmetic_equals_the_package(name, setup, first_line, helper):
    cells = [c for c in code_cells(chapter_text(name)) if c.startswith(first_line)]
    assert len(cells) == 1, f"{name}: the visible computation starting {first_line!r} is not in the chapter once"
    cell = cells[0]
    assert len(cell.splitlines()) <= 3, cell
    assert not any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(ast.parse(cell))), cell
    shown = run(cell, chapter_namespace(name, setup))
    expected = run(helper, chapter_namespace(name, setup))
    assert shown == pytest.approx(float(expected), rel=1e-3), (name, shown, expected)


def test_the_check_can_fail():
    # The same comparison with the wrong milestone gives another number.
    ns = chapter_namespace("users", "users = load_users()")
    shown = run('first, last = milestone(users, "2014-03-01"), milestone(users, "2024-07-01")\n'
                "years = (last.date - first.date).days / 365.25\n"
                "(last.users_millions / first.users_millions) ** (1 / years) - 1", ns)
    assert shown != pytest.approx(run('cagr(users, "2018-03-01", "2024-07-01")', ns), rel=1e-3)


#: the loads each chapter did before its "Your turn" cell.
SETUP = {
    "statement": "events = load_case_events()",
    "users": "users = load_users()",
    "charges": "charges, events = load_charges(), load_case_events()",
    "bans": "bans = load_bans()",
    "coverage": "claims = load_claims()",
    "privacy": "requests = load_government_requests()",
}


def your_turn(text: str) -> str:
    """The section "Your turn" of a chapter, which must come just before its Summary."""
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert "Your turn" in headings and "Summary" in headings, headings
    assert headings.index("Summary") == headings.index("Your turn") + 1, headings
    return text.split("\n## Your turn\n", 1)[1].split("\n## Summary\n", 1)[0]


@pytest.mark.parametrize("name", sorted(SETUP))
def test_every_chapter_ends_with_your_turn(name):
    section = your_turn(chapter_text(name))
    cells = code_cells(section)
    assert len(cells) == 1 and len(cells[0].splitlines()) <= 3, cells
    after = section.split("```", 2)[-1].split("```", 1)[-1]
    assert re.search(r"\b(Change|Try|Put in)\b", section) and re.search(r"\bLook\b", after), \
        f"{name}: 'Your turn' needs a value to change and a sentence saying what to look for"
    assert run(cells[0], chapter_namespace(name, SETUP[name])) is not None


def test_every_chapter_is_covered():
    assert set(SETUP) == {p.stem for p in (ROOT / "chapters").glob("*.md")}
