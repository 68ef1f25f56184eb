"""Ruling lines of a PDF page, read from pypdfium2's path objects.

pdfplumber finds tables from the page's horizontal and vertical edges, but
to get them it interprets the whole page with pdfminer (every character
too) — about 0.1–0.4 s a page.  The same edges come from pypdfium2's path
objects in a few milliseconds: every straight horizontal or vertical segment
of every path (a stroked line, each side of a rectangle) becomes one edge in
pdfplumber's shape, in its coordinates (points from the top of the page), to
be handed to ``find_tables`` as explicit lines.  Curves and slanted segments
are no rulings and are left out.
"""
from __future__ import annotations

import ctypes

TOLERANCE = 0.01  # points: how far from straight a segment may be


def _segments(obj):
    """(start, end) points of the straight segments of a path object, in page
    coordinates."""
    import pypdfium2.raw as raw

    matrix = obj.get_matrix()
    x, y = ctypes.c_float(), ctypes.c_float()
    start = prev = None
    for k in range(raw.FPDFPath_CountSegments(obj.raw)):
        seg = raw.FPDFPath_GetPathSegment(obj.raw, k)
        if not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = matrix.on_point(x.value, y.value)
        if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO:
            start = prev = point
            continue
        if prev is not None:
            yield prev, point
        prev = point
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            yield prev, start
            prev = start


def page_edges(page, height: float) -> list[dict]:
    """Horizontal and vertical edges of the paths drawn on ``page`` (a
    pypdfium2 page ``height`` points high), as pdfplumber edge dicts."""
    import pypdfium2.raw as raw

    edges = []
    for obj in page.get_objects():
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        for (x0, y0), (x1, y1) in _segments(obj):
            if abs(x0 - x1) < TOLERANCE:
                orientation = "v"
            elif abs(y0 - y1) < TOLERANCE:
                orientation = "h"
            else:
                continue
            top, bottom = height - max(y0, y1), height - min(y0, y1)
            edges.append({"object_type": "line_edge", "orientation": orientation,
                          "x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": bottom,
                          "doctop": top, "width": abs(x1 - x0), "height": bottom - top})
    return edges


def find_tables(plumber_page, edges: list[dict]):
    """pdfplumber's tables on a page, from the given edges instead of the
    page's own (which would make pdfplumber parse the page)."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    return plumber_page.find_tables({
        "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical, "explicit_horizontal_lines": horizontal})
