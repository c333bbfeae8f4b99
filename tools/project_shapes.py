"""Write ``data/geo/world_shapes.csv``: the map's country shapes, pre-projected.

Run once, from the repository's root, when ``data/geo/countries-110m.json``
changes (it has not since the first edition)::

    python3 -m venv /tmp/shapes && /tmp/shapes/bin/pip install geopandas==1.2.0 pyogrio==0.13.0 \\
        pyproj==3.7.2 shapely==2.2.0 pandas==3.1.1
    /tmp/shapes/bin/python tools/project_shapes.py

The book and the student pack do not need geopandas: they read the CSV this
script writes and draw it with matplotlib (``durovbook.bans``). The steps are
the ones ``durovbook.bans`` used to run at every load:

1. read the Natural Earth 1:110m TopoJSON of the npm package ``world-atlas``
   2.0.2 with GDAL's TopoJSON driver (through pyogrio);
2. leave out Antarctica (numeric code 010): it has no episode, and its ring
   runs along the whole base of the map;
3. cut the polygons that cross the 180° meridian (Russia's far east, Fiji) at
   180°, so that they do not run across the whole map once projected;
4. project to Equal Earth (EPSG:8857), in metres;
5. normalise the rings as geopandas does before drawing them (exterior ring
   clockwise, holes anticlockwise, a fixed first point), so that matplotlib
   tells the holes (Lesotho inside South Africa) from the land;
6. round every coordinate to the metre (at the book's 1:110m scale, one pixel
   of the map is more than 20 km wide), and drop the rings left with fewer
   than three distinct points (one speck of North Korea): they have no area.

One row per ring: ``id`` (ISO 3166-1 numeric, empty for the few disputed
areas that have none), ``name`` (as in the TopoJSON), ``polygon`` (0, 1, ...
within the country), ``ring`` (0 for the exterior, then the holes),
``points`` ("x y x y ...", in metres, the last point repeating the first) and
``source`` (the BibTeX key of world-atlas).
"""

from __future__ import annotations

import csv
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "geo" / "countries-110m.json"
OUT = ROOT / "data" / "geo" / "world_shapes.csv"
FIELDS = ["id", "name", "polygon", "ring", "points", "source"]


def split_antimeridian(geometry):
    """Cut a (multi)polygon that crosses the 180° meridian into its two halves.

    Each part wider than 180° is shifted onto a 0°–360° axis, cut at 180°, and
    its eastern half moved back by −360°.
    """
    import shapely
    from shapely.affinity import translate
    from shapely.geometry import MultiPolygon, Polygon, box

    if geometry is None or geometry.is_empty:
        return geometry
    parts = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    out = []
    for part in parts:
        minx, _, maxx, _ = part.bounds
        if maxx - minx <= 180:
            out.append(part)
            continue
        shifted = shapely.transform(part, lambda xy: np.where(xy[:, :1] < 0, xy + [360.0, 0.0], xy))
        shifted = shapely.make_valid(shifted)
        west = shifted.intersection(box(-180, -90, 180, 90))
        east = translate(shifted.intersection(box(180, -90, 540, 90)), xoff=-360)
        for piece in (west, east):
            out.extend(g for g in getattr(piece, "geoms", [piece]) if isinstance(g, Polygon) and not g.is_empty)
    return MultiPolygon(out) if len(out) > 1 else out[0]


def rows(source: Path = SOURCE) -> list[dict]:
    """The rows of the CSV, one per ring, in the TopoJSON's order of countries."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import geopandas as gpd

        world = gpd.read_file(source, layer="countries", engine="pyogrio")
        world = world.set_crs("EPSG:4326", allow_override=True)
        world = world[world["id"] != "010"].copy()
        world["geometry"] = world.geometry.apply(split_antimeridian)
        world = world.to_crs("EPSG:8857").reset_index(drop=True)
        world["geometry"] = world.geometry.normalize()
    out = []
    for _, country in world.iterrows():
        geometry = country.geometry
        polygons = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
        kept = 0
        for polygon in polygons:
            rings = [np.rint(np.asarray(ring.coords)[:, :2]).astype(np.int64)
                     for ring in [polygon.exterior, *polygon.interiors]]
            # a ring with fewer than three distinct points has no area: nothing to draw
            flat = [len(np.unique(xy, axis=0)) < 3 for xy in rings]
            if flat[0]:
                continue
            rings = [xy for xy, f in zip(rings, flat) if not f]
            for r, xy in enumerate(rings):
                out.append({"id": country["id"] if isinstance(country["id"], str) else "", "name": country["name"],
                            "polygon": kept, "ring": r, "points": " ".join(map(str, xy.ravel())),
                            "source": "worldatlas2"})
            kept += 1
    return out


def main(argv: list[str] | None = None) -> int:
    dest = Path((argv or sys.argv[1:] or [OUT])[0])
    with open(dest, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows())
    print(f"Wrote {dest} ({dest.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
