"""The skeleton every chapter follows (CONTRIBUTING.md): six headings and solved exercises.

``python -m bookbuild.classroom check`` prints what each chapter of
``_toc.yml`` lacks; tests/test_skeleton.py fails on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookbuild import myst

__all__ = ["SKELETON", "Exercise", "exercises", "headings", "skeleton_problems"]

#: The headings every chapter has, in this order (CONTRIBUTING.md).
SKELETON = ("Overview", "Learning objectives", "Time to learn", "Prerequisites", "Summary", "What's next")

headings = myst.headings


@dataclass(frozen=True)
class Exercise:
    """An exercise of a chapter, and whether a solution points back to it."""

    label: str
    has_solution: bool


def exercises(text: str) -> list[Exercise]:
    """The exercises of a chapter (gated or not, nested or not), each with its solution status."""
    labels, solved = [], set()
    for directive in myst.walk(myst.directives(text)):
        if directive.name in ("exercise", "exercise-start"):
            labels.append(directive.options.get("label", ""))
        elif directive.name in ("solution", "solution-start") and directive.argument:
            solved.add(directive.argument.strip())
    return [Exercise(label, bool(label) and label in solved) for label in labels]


def skeleton_problems(text: str, minimum_exercises: int = 2) -> list[str]:
    """What a chapter's text lacks of the book's skeleton; empty if nothing.

    Checks the six headings of :data:`SKELETON` (level 2, in order), and at
    least ``minimum_exercises`` exercises, each with a solution that names its
    label.
    """
    problems = []
    normal = [h.replace("\u2019", "'") for h in headings(text)]
    positions = []
    for heading in SKELETON:
        if heading not in normal:
            problems.append(f"missing heading '## {heading}'")
        else:
            positions.append(normal.index(heading))
    if positions != sorted(positions):
        problems.append(f"headings out of order: expected {', '.join(SKELETON)}")
    if not headings(text, 1):
        problems.append("missing the title ('# ...')")
    found = exercises(text)
    if len(found) < minimum_exercises:
        problems.append(f"has {len(found)} exercise(s); at least {minimum_exercises} are needed")
    for exercise in found:
        if not exercise.label:
            problems.append("an exercise has no :label:, so no solution can point to it")
        elif not exercise.has_solution:
            problems.append(f"exercise '{exercise.label}' has no solution")
    return problems
