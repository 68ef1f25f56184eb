"""Writers for the synthetic archive (``bench/archive.py``): a document's
blocks (paragraphs and tables) as a text-layer PDF, a DOCX or a scanned PDF.

- PDF: written directly (no LibreOffice per file): A4 pages, Liberation
  Serif embedded as a TrueType subset (a Type0 font, Identity-H, with a
  ToUnicode map, as office suites write it), lines wrapped on the font's
  advance widths, tables drawn as ruled grids (the ruling lines parmine's
  table finder reads), a two-column header table without rules.  A few
  milliseconds per document.
- DOCX: the package of a LibreOffice-written DOCX (styles, fonts,
  settings) with ``word/document.xml`` written anew: paragraphs and real
  Word tables.
- Scan: the PDF's pages rendered at 200 dpi in grey by pypdfium2, skewed,
  softened, greyed, noised, JPEG q70, one image per page, no text layer (what
  ../shared/corpus/derived/make_derived.sh does with ImageMagick).

Every writer is deterministic: the same blocks give the same bytes.
"""
from __future__ import annotations

import io
import random
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
PAGE_W, PAGE_H = 595.28, 841.89
LEFT, RIGHT, TOP, BOTTOM = 85.0, 57.0, 57.0, 57.0
BODY_PT, TABLE_PT = 13.0, 10.0
SCAN_DPI = 200


@dataclass(frozen=True)
class Block:
    """A paragraph (``rows`` empty; lines kept apart by ``\\n``) or a table
    (``rows`` of cell texts); ``centered`` for titles."""

    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    centered: bool = False


@dataclass(frozen=True)
class Font:
    """The embedded subset: its bytes, the glyph id and advance width (in
    thousandths of an em) of each character it has, and its metrics."""

    data: bytes
    gid: dict[str, int]
    width: dict[str, float]
    widths: tuple[float, ...]  # by glyph id
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int


@lru_cache(maxsize=1)
def load_font(chars: frozenset[str]) -> Font:
    """Liberation Serif cut down to ``chars`` (hinting dropped), once per process."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT))
    have = set(font.getBestCmap())
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars if ord(c) in have} | {ord("?"), ord(" ")})
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    scale = 1000 / font["head"].unitsPerEm
    order = font.getGlyphOrder()
    gid = {chr(u): font.getGlyphID(name) for u, name in font.getBestCmap().items()}
    widths = tuple(font["hmtx"][name][0] * scale for name in order)
    head = font["head"]
    return Font(buf.getvalue(), gid, {c: widths[g] for c, g in gid.items()}, widths,
                tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
                round(font["hhea"].ascent * scale), round(font["hhea"].descent * scale))


def _text_width(font: Font, text: str, size: float) -> float:
    return sum(font.width.get(c, 500.0) for c in text) * size / 1000


def wrap(font: Font, text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (at spaces;
    a word wider than a line is cut)."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = ""
        for word in raw.split():
            candidate = f"{line} {word}" if line else word
            if _text_width(font, candidate, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while _text_width(font, word, size) > width:
                cut = max(1, int(len(word) * width / _text_width(font, word, size)))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


class _Pages:
    """Lays blocks out on A4 pages: each page a list of content-stream operations."""

    def __init__(self, font: Font):
        self.font = font
        self.pages: list[list[str]] = [[]]
        self.y = PAGE_H - TOP

    def _room(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.pages.append([])
            self.y = PAGE_H - TOP

    def _show(self, text: str, x: float, y: float, size: float) -> None:
        glyphs = "".join(f"{self.font.gid.get(c, self.font.gid['?']):04X}" for c in text)
        self.pages[-1].append(f"BT /F1 {size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{glyphs}> Tj ET")

    def paragraph(self, block: Block) -> None:
        width, leading = PAGE_W - LEFT - RIGHT, BODY_PT * 1.25
        for line in wrap(self.font, block.text, BODY_PT, width):
            self._room(leading)
            self.y -= leading
            x = LEFT + (width - _text_width(self.font, line, BODY_PT)) / 2 if block.centered else LEFT
            self._show(line, x, self.y + 3, BODY_PT)
        self.y -= BODY_PT * 0.4

    def table(self, block: Block) -> None:
        """A grid; a two-column table of at most three rows (a header: issuer
        | motto, number | place and date) without rules."""
        ncol = max(len(r) for r in block.rows)
        rows = [r + ("",) * (ncol - len(r)) for r in block.rows]
        ruled = not (ncol == 2 and len(rows) <= 3)
        weights = [min(40, max(4, max(len(r[j]) for r in rows))) for j in range(ncol)]
        total, width = sum(weights), PAGE_W - LEFT - RIGHT
        edges = [LEFT]
        for w in weights:
            edges.append(edges[-1] + width * w / total)
        leading, pad = TABLE_PT * 1.2, 3.0
        for row in rows:
            cells = [wrap(self.font, cell, TABLE_PT, edges[j + 1] - edges[j] - 2 * pad)[:40]
                     for j, cell in enumerate(row)]
            height = max(len(c) for c in cells) * leading + 2 * pad
            self._room(height)
            top, ops = self.y, self.pages[-1]
            for j, lines in enumerate(cells):
                for k, line in enumerate(lines):
                    self._show(line, edges[j] + pad, top - pad - (k + 1) * leading + 3, TABLE_PT)
            if ruled:
                ops.append(f"0.5 w {LEFT:.2f} {top:.2f} m {edges[-1]:.2f} {top:.2f} l "
                           f"{LEFT:.2f} {top - height:.2f} m {edges[-1]:.2f} {top - height:.2f} l S")
                ops.append(" ".join(f"{x:.2f} {top:.2f} m {x:.2f} {top - height:.2f} l" for x in edges) + " S")
            self.y = top - height
        self.y -= BODY_PT * 0.6


def _to_unicode(font: Font) -> bytes:
    """The ToUnicode CMap: glyph id → character."""
    pairs = sorted((g, c) for c, g in font.gid.items())
    chunks = []
    for i in range(0, len(pairs), 100):
        part = pairs[i:i + 100]
        body = "\n".join(f"<{g:04X}> <{ord(c):04X}>" for g, c in part)
        chunks.append(f"{len(part)} beginbfchar\n{body}\nendbfchar")
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            + "\n".join(chunks) + "\nendcmap CMapName currentdict /CMap defineresource pop end end\n").encode()


def _stream(header: str, data: bytes, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 6)
        header += " /Filter /FlateDecode"
    return f"<< {header} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (object 1 the catalog, 2 the page tree)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _catalog(page_ids: list[int]) -> list[bytes]:
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()]


def _info(title: str, producer: str) -> bytes:
    def literal(s: str) -> str:
        return "<FEFF" + s.encode("utf-16-be").hex().upper() + ">"
    return f"<< /Title {literal(title)} /Producer {literal(producer)} >>".encode()


def pdf_bytes(blocks: list[Block], title: str, font: Font) -> bytes:
    """``blocks`` as a text-layer PDF."""
    layout = _Pages(font)
    for block in blocks:
        layout.table(block) if block.rows else layout.paragraph(block)
    pages = [p for p in layout.pages if p] or [[]]
    widths = " ".join(f"{w:.0f}" for w in font.widths)
    fixed = [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /PMAAAA+LiberationSerif /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 7 0 R >>",
        (f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /PMAAAA+LiberationSerif "
         f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
         f"/FontDescriptor 5 0 R /CIDToGIDMap /Identity /DW 500 /W [0 [{widths}]] >>").encode(),
        (f"<< /Type /FontDescriptor /FontName /PMAAAA+LiberationSerif /Flags 6 "
         f"/FontBBox [{' '.join(map(str, font.bbox))}] /ItalicAngle 0 /Ascent {font.ascent} "
         f"/Descent {font.descent} /CapHeight {font.ascent} /StemV 80 /FontFile2 6 0 R >>").encode(),
        _stream(f"/Length1 {len(font.data)}", font.data),
        _stream("", _to_unicode(font)),
    ]
    first = 3 + len(fixed)
    page_ids = [first + 2 * i for i in range(len(pages))]
    objects = _catalog(page_ids) + fixed
    for i, ops in enumerate(pages):
        objects.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                        f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_ids[i] + 1} 0 R >>").encode())
        objects.append(_stream("", "\n".join(ops).encode()))
    objects.append(_info(title, "parmine bench archive"))
    return _pdf(objects)


@lru_cache(maxsize=1)
def _noise(shape: tuple[int, int]):
    """Gaussian noise (σ 10 grey levels) for a page, made once per process."""
    import numpy as np

    return np.random.default_rng(0).normal(0, 10, shape).astype(np.int16)


def _degrade(image, rng: random.Random):
    """A photocopy's look: skew 0.3–1.5°, softened (each pixel the mean of
    a 2 × 2 square), grey paper, noise (the page's noise shifted by a random
    offset)."""
    import numpy as np

    angle = rng.choice((-1, 1)) * rng.uniform(0.3, 1.5)
    w, h = image.size
    pixels = np.asarray(image.rotate(angle, fillcolor=255), dtype=np.int16)
    soft = pixels.copy()
    soft[1:] += pixels[:-1]
    soft[:, 1:] += soft[:, :-1].copy()
    noise = np.roll(_noise(pixels.shape), (rng.randrange(h), rng.randrange(w)), axis=(0, 1))
    return np.clip(soft // 5 + 15 + noise, 0, 255).astype(np.uint8)  # / 4 × 0.8: grey paper, lighter black


def scan_bytes(pdf: bytes, rng: random.Random) -> bytes:
    """The pages of ``pdf`` as an image-only PDF (one grey JPEG per page)."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(pdf)
    images = []
    for page in doc:
        grey = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
        buf = io.BytesIO()
        Image.fromarray(_degrade(grey, rng)).save(buf, "JPEG", quality=70, dpi=(SCAN_DPI, SCAN_DPI))
        images.append((grey.size, buf.getvalue()))
    doc.close()
    page_ids = [3 + 3 * i for i in range(len(images))]
    objects = _catalog(page_ids)
    for pid, ((w, h), jpeg) in zip(page_ids, images):
        objects.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                        f"/Resources << /XObject << /Im0 {pid + 2} 0 R >> >> /Contents {pid + 1} 0 R >>").encode())
        objects.append(_stream("", f"q {PAGE_W} 0 0 {PAGE_H} 0 0 cm /Im0 Do Q".encode()))
        objects.append(_stream(f"/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
                               f"/BitsPerComponent 8 /Filter /DCTDecode", jpeg, compress=False))
    objects.append(_info("", "parmine bench archive (scan)"))
    return _pdf(objects)


_W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _w_paragraph(text: str, style: str, centered: bool = False) -> str:
    runs = '<w:r><w:br/></w:r>'.join(f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
                                     for line in text.split("\n"))
    align = '<w:jc w:val="center"/>' if centered else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{align}</w:pPr>{runs}</w:p>'


def _w_table(rows: tuple[tuple[str, ...], ...]) -> str:
    ncol = max(len(r) for r in rows)
    width = 9070 // ncol
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(ncol))
    body = "".join(
        "<w:tr>" + "".join(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                           + _w_paragraph(cell, "Cell") + "</w:tc>"
                           for cell in r + ("",) * (ncol - len(r))) + "</w:tr>"
        for r in rows)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{width * ncol}" w:type="dxa"/><w:tblBorders>{_BORDERS}'
            f'</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>')


@lru_cache(maxsize=1)
def _docx_shell(template: Path) -> tuple[tuple[str, bytes], ...]:
    """The parts of a LibreOffice DOCX other than the document body."""
    with zipfile.ZipFile(template) as z:
        return tuple((n, z.read(n)) for n in z.namelist() if n != "word/document.xml")


def docx_bytes(blocks: list[Block], template: Path) -> bytes:
    """``blocks`` as a Word document (``template``'s styles and settings)."""
    body = "".join(_w_table(b.rows) if b.rows else _w_paragraph(b.text, "Center" if b.centered else "Body",
                                                                 b.centered) for b in blocks)
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W_NS}><w:body>{body}'
           '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" '
           'w:left="1701" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (*_docx_shell(template), ("word/document.xml", xml.encode())):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()
