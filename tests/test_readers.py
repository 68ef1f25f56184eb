"""Readers: every format to text with its tables, close to the source text;
bad files refused with a reason."""
import os
import re
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import DERIVED, SEEDS, cer, seed_reference

from parmine.corpus.document import ReadError
from parmine.corpus.ingest import read
from parmine.corpus.readers import ocr as ocr_module
from parmine.corpus.readers.txt import split_tables, strip_markup

pytestmark = pytest.mark.slow

STEMS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def full_text(doc) -> str:
    """Pages with their tables put back where they stood."""
    out = []
    for page in doc.pages:
        text = page.text
        for t in sorted((t for t in doc.tables if t.page == page.number), key=lambda t: -t.offset):
            rows = "\n".join(" ".join(c for c in r) for r in t.rows)
            text = text[:t.offset] + "\n" + rows + "\n" + text[t.offset:]
        out.append(text)
    return "\n".join(out)


def baseline(stem: str) -> float:
    """Tesseract's CER for this scan, column "A native" of OCR_BASELINE.md."""
    table = (DERIVED / "OCR_BASELINE.md").read_text(encoding="utf-8")
    row = next(l for l in table.splitlines() if l.startswith(f"| {stem[:3]} "))
    return float(re.findall(r"([\d.]+) %", row)[0]) / 100


@pytest.mark.parametrize("text, want", [
    ("**Nơi nhận:** xem *Phụ lục*", "Nơi nhận: xem Phụ lục"),
    ("Lưu: VT, VP^{XT}.", "Lưu: VT, VPXT."),
    ("tại địa chỉ <http://sokhcn.gov.vn/a> nhé", "tại địa chỉ http://sokhcn.gov.vn/a nhé"),
    ("5*3 và a*b giữ nguyên", "5*3 và a*b giữ nguyên"),
])
def test_markup_is_stripped(text, want):
    assert strip_markup(text) == want


def test_tab_blocks_become_tables():
    text = "Mở đầu.\n\nBIỂU SỐ 1\nSTT\tLĩnh vực\tSố hồ sơ\n1\tĐất đai\t7\n\n2\tXây dựng\t3\nKết thúc."
    body, tables = split_tables(text)
    assert "\t" not in body and "Kết thúc." in body and "Mở đầu." in body
    assert tables[0].rows == [["STT", "Lĩnh vực", "Số hồ sơ"], ["1", "Đất đai", "7"], ["2", "Xây dựng", "3"]]
    assert tables[0].title == "BIỂU SỐ 1"
    assert body[tables[0].offset:].startswith("Kết thúc.")


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_docx_and_text_pdf_match_the_seed(stem, kind):
    doc = read(DERIVED / f"{stem}.{kind}")
    assert doc.format == kind and not doc.ocr_pages
    assert cer(full_text(doc), seed_reference(stem)) <= 0.01


def test_pdf_keeps_wrapped_ids_and_hyphens():
    doc = read(DERIVED / "000_8ec424762efb3ebc.pdf")
    text = "\n".join(p.text for p in doc.pages)
    assert "\ufffe" not in text
    assert "QĐUBND" not in text and "KHSKHCN" not in text.replace("\n", "")


def test_pdf_tables_are_cut_out_of_the_body():
    doc = read(DERIVED / "004_e0d8482e7872d50a.pdf")
    assert [len(t.rows[0]) for t in doc.tables] == [6, 12, 6, 5]
    body = "\n".join(p.text for p in doc.pages)
    assert "dichvucong.baria-vungtau.gov.vn/dang-ky-truc-tuyen" not in body
    assert doc.tables[0].rows[-1][0] == "Tổng cộng"  # the row on the next page joined the table


def _read_scan(args):
    stem, cache = args
    doc = read(DERIVED / f"{stem}.scan.pdf", ocr_cache=Path(cache))
    return stem, doc.format, doc.ocr_pages, len(doc.pages), full_text(doc)


def test_scans_are_ocred_no_worse_than_tesseract(tmp_path):
    assert len(STEMS) == 5, f"the seed reports are missing from {SEEDS}"
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(_read_scan, [(s, str(tmp_path)) for s in STEMS]))
    for stem, fmt, ocr_pages, n, text in results:
        assert fmt == "scan-pdf" and ocr_pages == list(range(1, n + 1))
        assert cer(text, seed_reference(stem)) <= baseline(stem) + 0.01, stem


def test_ocr_text_is_cached_by_image(tmp_path):
    scan = DERIVED / "002_db644a6e68f0f5dc.scan.pdf"
    before = ocr_module.calls
    first = read(scan, ocr_cache=tmp_path)
    ran = ocr_module.calls - before
    assert ran == len(first.pages)
    second = read(scan, ocr_cache=tmp_path)
    assert ocr_module.calls - before == ran  # nothing OCRed twice
    assert [p.text for p in second.pages] == [p.text for p in first.pages]
    assert len(list(tmp_path.rglob("*.txt"))) == len(first.pages)


def test_image_is_ocred(tmp_path):
    png = tmp_path / "trang.png"
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(DERIVED / "002_db644a6e68f0f5dc.pdf"), str(tmp_path / "trang")], check=True)
    doc = read(png, ocr_cache=tmp_path / "c")
    assert doc.format == "image" and doc.ocr_pages == [1]
    assert "Khoa học và Công nghệ" in doc.pages[0].text


def test_doc_is_converted_by_libreoffice(tmp_path):
    src = DERIVED / "002_db644a6e68f0f5dc.docx"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180, env=dict(os.environ, HOME=str(tmp_path)))
    doc = read(tmp_path / "002_db644a6e68f0f5dc.doc")
    assert doc.format == "doc"
    assert cer(full_text(doc), seed_reference("002_db644a6e68f0f5dc")) <= 0.01


def _encrypted_pdf(tmp_path) -> Path:
    src = DERIVED / "002_db644a6e68f0f5dc.docx"
    opts = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},' \
           '"DocumentOpenPassword":{"type":"string","value":"matkhau"}}'
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless",
                    "--convert-to", opts, "--outdir", str(tmp_path / "enc"), str(src)],
                   check=True, capture_output=True, timeout=180, env=dict(os.environ, HOME=str(tmp_path)))
    return tmp_path / "enc" / "002_db644a6e68f0f5dc.pdf"


def test_bad_files_are_refused_with_a_reason(tmp_path):
    pdf = (DERIVED / "001_cb8e85e775728a3b.pdf").read_bytes()
    cases = {
        "rong.txt": (b"", "empty"),
        "rac.txt": (os.urandom(3000), "not text"),
        "rac.pdf": (b"%PDF-1.5\n" + os.urandom(3000), "damaged"),
        "cut.pdf": (pdf[: len(pdf) // 2], "damaged"),
        "ghi-chu.xyz": ("Ghi chú".encode(), "unsupported"),
        "anh.png": (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image"),
        "gia.pdf": (b"GIF89a not a pdf", "not a PDF"),
    }
    for name, (data, words) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ReadError) as err:
            read(tmp_path / name)
        assert words in err.value.reason and err.value.stage, name
    with pytest.raises(ReadError, match="encrypted"):
        read(_encrypted_pdf(tmp_path))


def _page_images(tmp_path, pdf: Path, pages: int, dpi: int = 150) -> list:
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", str(pages),
                    str(pdf), str(tmp_path / "p")], check=True)
    return [Image.open(p) for p in sorted(tmp_path.glob("p-*.png"))]


def test_every_page_of_a_multi_page_tiff_is_a_page(tmp_path):
    from rapidfuzz.fuzz import ratio

    from parmine.corpus import progress

    pdf = DERIVED / "002_db644a6e68f0f5dc.pdf"
    first, *rest = _page_images(tmp_path, pdf, 2)
    first.save(tmp_path / "scan.tif", save_all=True, append_images=rest, compression="tiff_deflate")
    beats = []
    progress.listen(beats.append)
    try:
        doc = read(tmp_path / "scan.tif", ocr_cache=tmp_path / "c")
    finally:
        progress.listen(None)
    assert doc.format == "image" and doc.ocr_pages == [1, 2] and beats == [True, True]
    layer = [squash_page(p.text) for p in read(pdf).pages[:2]]
    ocr = [squash_page(p.text) for p in doc.pages]
    for i in range(2):  # each OCRed page is the page it was scanned from
        assert ratio(ocr[i], layer[i]) > ratio(ocr[i], layer[1 - i]) and ratio(ocr[i], layer[i]) > 80


def squash_page(text: str) -> str:
    return " ".join(text.split())


def test_a_pdf_of_blank_pages_is_refused_without_ocr(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(500):
        pdf.new_page(595, 842)
    pdf.save(tmp_path / "trang.pdf")
    pdf.close()
    before = ocr_module.calls
    with pytest.raises(ReadError, match="all 500 pages of the PDF are blank"):
        read(tmp_path / "trang.pdf", ocr_cache=tmp_path / "c")
    assert ocr_module.calls == before  # not one Tesseract run
