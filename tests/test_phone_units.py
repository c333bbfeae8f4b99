"""Unit tests of the phone layer (issue 14): card tables, phone drawings, the map's brief blocks and date control."""

from __future__ import annotations

import base64
import io
import json
import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from durovbook import style  # noqa: E402
from durovbook.bans import brief_blocks, load_bans, map_control, plot_map, status_as_of  # noqa: E402
from durovbook.display import key_column, table  # noqa: E402

from bookbuild.phonefigures import png_info  # noqa: E402
from bookbuild.phonetables import key_index, label_tables  # noqa: E402


# --------------------------------------------------------------------------- tables

def test_key_column_prefers_verdict_then_status_then_category_else_the_first():
    assert key_column(["id", "claim", "verdict", "status"]) == "verdict"
    assert key_column(["country", "status_on_date", "since"]) == "status_on_date"
    assert key_column(["offence", "category"]) == "category"
    assert key_column(["country", "start", "end"]) == "country"
    assert key_column(["statuses"]) == "statuses"  # not "status_": no match, the first


def test_a_wide_table_reads_as_cards_with_its_labels_and_key_column_first():
    frame = pd.DataFrame({"country": ["Iran"], "since": ["Apr 2018"], "status": ["blocked"], "episodes": ["IR-2"]})
    out = table(frame, {"country": "Country", "since": "Since", "status": "Status", "episodes": "Ids?"}).html
    uid = re.search(r'<div class="durov-table" id="(durov-t[0-9a-f]+)" data-cards=""', out).group(1)
    style = re.search(r"<style>@media \(max-width: 600px\)\{(.*)\}</style>", out).group(1)
    labels = re.findall(rf'#{uid} td:nth-child\((\d)\)::before\{{content:"([^"]*)";content:"([^"]*)" / ""\}}', style)
    assert labels == [("1", "Country: ", "Country: "), ("2", "Since: ", "Since: "), ("3", "Status: ", "Status: "),
                      ("4", "Ids? ", "Ids? ")]
    assert f"#{uid} td:nth-child(3){{order:-1;font-weight:700}}" in style
    # The cells themselves stay plain.
    assert "<tr><td>Iran</td><td>Apr 2018</td><td>blocked</td><td>IR-2</td></tr>" in out and "<table>" in out
    # Another table gets another id.
    assert uid not in table(frame.assign(country="Iraq")).html


def test_a_card_label_cannot_break_out_of_its_style_sheet():
    frame = pd.DataFrame({c: ["x"] for c in "abcd"})
    out = table(frame, {"a": 'Say "hi"', "b": "</style><b>", "c": "c", "d": "d"}).html
    style = out.split("</style>")[0]
    assert "<b>" not in style and '"Say \\22 hi\\22 : "' in style
    assert out.count("</style>") == 1


def test_a_narrow_table_stays_a_plain_table():
    out = table(pd.DataFrame({"a": [1], "b": [2], "c": [3]})).html
    assert "data-cards" not in out and "<style>" not in out


DOCUTILS = """<html><body><main><table class="table">
<thead><tr class="row-odd"><th class="head"><p>minutes</p></th><th class="head"><p>stage</p></th>
<th class="head"><p>what the teacher does</p></th><th class="head"><p>Status &amp; notes</p></th></tr></thead>
<tbody><tr class="row-even"><td><p>0–5</p></td><td><p>Start</p></td><td colspan="2"><p>Both</p></td></tr>
<tr class="row-odd"><td><p>5</p></td><td><p>Next</p></td><td><p>Read</p></td><td/></tr></tbody></table>
<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table></main>
<table><thead><tr><th>a</th><th>b</th><th>c</th><th>d</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
</body></html>"""


def test_markdown_tables_of_more_than_three_columns_in_main_are_marked():
    out, marked = label_tables(DOCUTILS)
    assert marked == 1
    first = out.split("</table>")[0]
    assert '<table class="table" data-cards="" role="table">' in first
    labels = re.findall(r'data-label="([^"]*)"', first)
    assert labels == ["minutes:", "stage:", "what the teacher does:", "minutes:", "stage:", "what the teacher does:",
                      "Status &amp; notes:"]
    assert '<td role="cell" data-label="Status &amp; notes:" data-key/>' in first  # self-closing tag kept
    assert "data-cards" not in out.split("</table>")[1]  # two columns
    assert "data-cards" not in out.split("</main>")[1]  # outside the page's main content
    # Nothing but attributes was added, and a second run changes nothing.
    assert re.sub(r' (?:data-cards=""|role="[a-z]+"|data-label="[^"]*"|data-key)', "", out) == DOCUTILS
    assert label_tables(out) == (out, 0)
    # A table whose box durovbook.display.table marked is left alone.
    boxed = table(pd.DataFrame({c: ["x"] for c in "abcd"})).html
    assert label_tables(f"<main>{boxed}</main>") == (f"<main>{boxed}</main>", 0)


def test_a_card_label_ends_with_a_colon_unless_it_is_a_question():
    from durovbook.display import card_label

    assert card_label("Country") == "Country:"
    assert card_label("Confirmed by a source?") == "Confirmed by a source?"


def test_key_index_reads_header_words():
    assert key_index(["Country", "Status on 5 Sep 2024", "Since"]) == 1
    assert key_index(["criterion", "4: excellent"]) == 0


# --------------------------------------------------------------------------- phone drawings

def _decode(png_b64: str):
    from PIL import Image

    return Image.open(io.BytesIO(base64.b64decode(png_b64)))


def test_min_text_px_is_the_smallest_visible_text():
    fig, ax = style.figure()
    ax.set_title("Title", fontsize=14)
    ax.text(0.5, 0.5, "small", fontsize=7.2)
    ax.text(0.5, 0.2, "hidden", fontsize=3, visible=False)
    ax.set_xticks([]), ax.set_yticks([])
    assert style.min_text_px(fig) == pytest.approx(10.0)


def test_a_phone_drawing_is_narrow_and_records_its_smallest_text():
    fig, ax = style.figure(9, 4)
    ax.plot(pd.to_datetime(["2015-01-01", "2025-01-01"]), [1, 2], label="a line with a long legend label")
    ax.set_title("A long title that would never fit on one line of a phone screen", loc="left")
    ax.legend(fontsize=7)
    ax.tick_params(labelsize=6)
    png, _ = style.phone_png(fig)
    image = _decode(png)
    chunks = image.text
    assert chunks[style.PNG_VARIANT] == "phone"
    density = int(chunks[style.PNG_DENSITY])
    assert density == style.PHONE_DENSITY
    assert float(chunks[style.PNG_MIN_TEXT]) >= style.PHONE_MIN_PT / 72 * 100 - 0.01
    assert image.size[0] / density <= 328  # the width a 360 px screen gives a figure
    # The desktop figure is untouched.
    assert list(fig.get_size_inches()) == [9, 4] and ax.get_legend() is not None


def test_a_book_figure_shows_its_phone_drawing_only_in_the_build(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append((a, k)))
    fig, ax = style.figure()
    monkeypatch.delenv(style.PHONE_ENV, raising=False)
    assert fig._repr_mimebundle_() is None and shown == []
    monkeypatch.setenv(style.PHONE_ENV, "1")
    assert fig._repr_mimebundle_() is None
    (bundle,), kwargs = shown[0]
    assert kwargs["raw"] is True and _decode(bundle["image/png"]).text[style.PNG_VARIANT] == "phone"


def test_png_info_knows_a_phone_drawing_from_any_picture(tmp_path):
    fig, _ = style.figure()
    png, _ = style.phone_png(fig)
    (tmp_path / "phone.png").write_bytes(base64.b64decode(png))
    fig.savefig(tmp_path / "desktop.png")
    (tmp_path / "broken.png").write_bytes(b"not a png")
    info = png_info(tmp_path / "phone.png")
    assert info["density"] == "2" and float(info["min_text_px"]) > 12
    assert png_info(tmp_path / "desktop.png") is None and png_info(tmp_path / "broken.png") is None


# --------------------------------------------------------------------------- light figures

def _drawn_png(**savefig) -> bytes:
    fig, ax = style.figure()
    ax.plot([1, 2, 3], [3, 1, 2], label="a line")
    ax.bar([1, 2, 3], [1, 2, 1.5], color=style.PALETTE["orange"], hatch="///", label="bars")
    ax.set_title("A title with anti-aliased text")
    ax.legend()
    out = io.BytesIO()
    fig.savefig(out, format="png", **savefig)
    matplotlib.pyplot.close(fig)
    return out.getvalue()


def test_a_compact_png_is_a_smaller_palette_of_the_same_picture():
    from PIL import Image, ImageChops

    png = _drawn_png(metadata={style.PNG_VARIANT: "phone"})
    small = style.compact_png(png)
    assert len(small) < 0.6 * len(png)
    before, after = Image.open(io.BytesIO(png)), Image.open(io.BytesIO(small))
    assert after.mode == "P" and after.size == before.size
    assert after.text[style.PNG_VARIANT] == "phone"  # the phone drawing's text chunks are kept
    rgb, back = before.convert("RGB"), after.convert("RGB")
    # The colours that cover the figure (its white, the palette's orange, the text) are kept exactly ...
    covering = [c for _, c in sorted(rgb.getcolors(1 << 24), reverse=True)[:8]]
    assert set(covering) <= {c for _, c in back.getcolors(1 << 24)}
    assert (255, 255, 255) in covering
    # ... and only a few anti-aliased pixels move, by a few levels.
    diff = ImageChops.difference(rgb, back).convert("L")
    moved = sum(diff.histogram()[9:])
    assert moved < 0.01 * rgb.size[0] * rgb.size[1], moved


def test_a_transparent_png_or_one_that_would_grow_is_left_as_it_is():
    from PIL import Image

    transparent = _drawn_png(transparent=True)
    assert Image.open(io.BytesIO(transparent)).getextrema()[3][0] < 255
    assert style.compact_png(transparent) == transparent
    tiny = io.BytesIO()
    Image.new("P", (4, 4)).save(tiny, format="PNG")
    assert style.compact_png(tiny.getvalue()) == tiny.getvalue()


def test_the_phone_drawing_and_the_figure_shown_in_a_notebook_are_compact():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats
    from PIL import Image

    shell = InteractiveShell.instance()
    select_figure_formats(shell, {"png"})  # what the inline backend does in a kernel
    try:
        fig, ax = style.figure()
        ax.plot([1, 2, 3], [3, 1, 2])
        data, _ = shell.display_formatter.format(fig)
        shown = data["image/png"]
        shown = base64.b64decode(shown) if isinstance(shown, str) else shown
        assert Image.open(io.BytesIO(shown)).mode == "P"
        phone, _ = style.phone_png(fig)
        assert _decode(phone).mode == "P" and _decode(phone).text[style.PNG_VARIANT] == "phone"
    finally:
        InteractiveShell.clear_instance()


# --------------------------------------------------------------------------- the map

def test_a_week_long_block_is_brief_and_a_decade_long_ban_is_not():
    bans = load_bans()
    assert "IND" in brief_blocks(bans, "2026-06-19")
    assert "CHN" not in brief_blocks(bans, "2026-06-19")
    assert brief_blocks(bans, "2010-01-01") == set()


def test_the_map_draws_a_brief_block_apart_from_a_lasting_one():
    fig = plot_map(load_bans(), "2026-06-19")
    gids = {c.get_gid(): c.iso3 for c in fig.axes[0].collections if c.get_gid()}
    assert "IND" in gids["blocked brief"] and "IND" not in gids["blocked"]
    assert "CHN" in gids["blocked"]
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "blocked for 31 days or less (1)" in labels
    phone = fig.phone()
    assert phone.get_size_inches()[0] <= style.PHONE_WIDTH
    assert style.min_text_px(phone) >= 12


def test_map_control_lists_every_country_with_its_status_and_the_episodes():
    bans = load_bans()
    out = map_control(bans, "2019-06-01").html
    rows = dict(re.findall(r'<tr data-iso3="([A-Z]{3})"><th scope="row">[^<]*</th><td data-status="">([^<]*)</td>', out))
    expected = status_as_of(bans, "2019-06-01").set_index("iso3")["status"].astype(str).to_dict()
    assert rows == expected
    data = json.loads(re.search(r'<script type="application/json">(.*?)</script>', out, re.S).group(1))
    assert len(data) == len(bans) and {"iso3", "scope", "start", "last", "open"} <= set(data[0])
    assert 'value="2019-06-01"' in out and "<form hidden>" in out
    assert "http" not in re.search(r"<script>(.*?)</script>", out, re.S).group(1)


def test_student_notebooks_leave_out_the_phone_drawings():
    import nbformat

    from bookbuild.student import student_notebook

    fig, _ = style.figure()
    png, meta = style.phone_png(fig)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("plot()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": png}, metadata={"image/png": meta}),
                    nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    nb.cells = [cell]
    out = student_notebook(nb)
    assert [o["data"].get("text/plain") for o in out.cells[0].outputs] == ["<Figure>"]
