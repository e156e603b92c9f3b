"""Cut the map's detailed basemap files out of the world-atlas package (Natural Earth).

    npm pack world-atlas@2.0.2
    python -m tools.basemap world-atlas-2.0.2.tgz

writes, into templates/overrides/assets/vendor/world-atlas/, one TopoJSON file per entry of
`DETAIL`: the countries named there, at that resolution, and only the arcs they use. The
basemap (templates/overrides/assets/map/basemap.js) draws the world from the package's
``countries-110m.json`` (copied as it is) and these countries from the finer files instead.
The tarball must be the pinned one (`SHA256`). The output is the same bytes on every run: the
countries keep the package's order and the arcs their first use.

Nothing is clipped or simplified: a country is kept whole, in the package's own quantized
coordinates, so topojson-client decodes the files as it decodes the package's.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

VERSION = "2.0.2"
SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
"""Of ``world-atlas-2.0.2.tgz``, as ``npm pack`` fetches it from the registry."""

DETAIL: dict[str, tuple[str, ...]] = {  # (finest first)
    "10m": ("China", "Japan", "North Korea", "South Korea", "Taiwan"),
    "50m": ("Mongolia", "Russia"),
}
"""Resolution -> the countries drawn at it: the peninsula and the coasts and borders seen
around it at zooms 5 to 9 at 1:10m; its other neighbours at 1:50m (Russia at 1:10m alone would
cost more than everything else together)."""

OUT = Path(__file__).resolve().parent.parent / "templates/overrides/assets/vendor/world-atlas"
WORLD = "countries-110m.json"


def _arc_indexes(arcs: Any) -> list[int]:
    """The arcs a geometry's ``arcs`` member uses, in order of first use (``~i``: arc ``i``
    reversed)."""
    if isinstance(arcs, int):
        return [arcs if arcs >= 0 else ~arcs]
    return [index for part in arcs for index in _arc_indexes(part)]


def _renumbered(arcs: Any, new: dict[int, int]) -> Any:
    if isinstance(arcs, int):
        return new[arcs] if arcs >= 0 else ~new[~arcs]
    return [_renumbered(part, new) for part in arcs]


def _owners(topology: dict[str, Any]) -> dict[int, set[str]]:
    """Arc -> the names of the countries whose outline uses it: one for a coast, two for a
    border."""
    owners: dict[int, set[str]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        for index in _arc_indexes(geometry.get("arcs", [])):
            owners.setdefault(index, set()).add(geometry["properties"]["name"])
    return owners


def subset(
    topology: dict[str, Any], names: tuple[str, ...], finer: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The countries of ``topology`` (world-atlas's ``countries`` object) named ``names``,
    with only the arcs they use, and two line objects over those arcs: ``coast`` (an arc of
    one country only) and ``borders`` (an arc two countries share, unless one of them is in
    ``finer``, whose own file draws that border). An unknown name is an error."""
    every = topology["objects"]["countries"]["geometries"]
    geometries = [g for g in every if g["properties"]["name"] in names]
    missing = set(names) - {g["properties"]["name"] for g in geometries}
    if missing:
        raise ValueError(f"not in the atlas: {', '.join(sorted(missing))}")
    used: dict[int, int] = {}
    for geometry in geometries:
        for index in _arc_indexes(geometry["arcs"]):
            used.setdefault(index, len(used))
    owners = _owners(topology)
    coast = [used[i] for i in used if len(owners[i]) == 1]
    borders = [used[i] for i in used if len(owners[i]) > 1 and not owners[i] & set(finer)]
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [{**g, "arcs": _renumbered(g["arcs"], used)} for g in geometries],
            },
            "coast": {"type": "MultiLineString", "arcs": [[i] for i in coast]},
            "borders": {"type": "MultiLineString", "arcs": [[i] for i in borders]},
        },
        "arcs": [topology["arcs"][index] for index in used],
    }


def detail_name(resolution: str) -> str:
    """The file of a `DETAIL` resolution's countries."""
    return f"countries-{resolution}-east-asia.json"


def write(tarball: Path, out: Path = OUT) -> list[Path]:
    """Check ``tarball`` against `SHA256`, then write `WORLD` and one file per `DETAIL` entry
    into ``out``; the paths written."""
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != SHA256:
        raise ValueError(f"{tarball}: sha256 {digest}, expected {SHA256} (world-atlas {VERSION})")
    written = []
    with tarfile.open(tarball) as archive:

        def member(name: str) -> bytes:
            handle = archive.extractfile(f"package/{name}")
            assert handle is not None, name
            return handle.read()

        (out / WORLD).write_bytes(member(WORLD))
        written.append(out / WORLD)
        finer: tuple[str, ...] = ()
        for resolution, names in DETAIL.items():
            topology = json.loads(member(f"countries-{resolution}.json"))
            cut = subset(topology, names, finer)
            finer += names
            text = json.dumps(cut, separators=(",", ":"), ensure_ascii=False)
            path = out / detail_name(resolution)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tools.basemap world-atlas-2.0.2.tgz")
    for path in write(Path(sys.argv[1])):
        print(f"{path}: {path.stat().st_size} bytes")
