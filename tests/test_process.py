"""One document in, rows for every table out — on any text."""

import pytest
from conftest import SEEDS, SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

from parmine.corpus.document import Document, Page
from parmine.pipelines.process import mine, process_document
from parmine.pipelines.schema import arrow_table
from parmine.pipelines.task import Options

pytestmark = pytest.mark.slow

# real lines of every kind of document, and the fragments real text breaks into
LINES = [line for path in sorted((SHARED / "corpus" / "real").rglob("*.*"))
         if path.suffix in (".txt", ".md") for line in path.read_text(encoding="utf-8").splitlines()[:40]
         if line.strip()][:800]
PIECES = st.sampled_from([
    "| Số: 49/2012/QĐ-UBND | Hà Nội, ngày 23 tháng 10 năm 2012 |", "|---|---|", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN", "TỈNH BẮC GIANG", "-------", "QUYẾT ĐỊNH", "BÁO CÁO",
    "Số: /BC-UBND", "Số hiệu: 12/QĐ-UBND", "Người ký: Nguyễn Văn A", "Trong tháng 12/2020, Sở tiếp nhận 5 hồ sơ.",
    "tháng 12/2020", "quý III/2016", "6/4/19 3:43 PM", "Cập nhật lúc: 19:52 04/04/2018", "Ngày 9/9,",
    "từ 21/4 đến 20/5/2019", "Điều 1.", "Chương II", "Mục 3", "Phần I.", "I.", "1.", "a)", "| 1 | 2 |",
    "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nơi nhận:", "- Lưu: VT.", "Hứa Ngọc Thuận", "100%", "1.200.000 đồng",
    "hơn 2.500 hồ sơ", "36a/NQ-CP", "Nghị quyết 36a", "\n", "", "   ", "%", "/", "(", ")", "ngày", "năm 2023",
])
TEXTS = st.lists(st.one_of(st.sampled_from(LINES), PIECES), max_size=25).map("\n".join)


def _mine(text: str) -> dict:
    return mine(Document("t", "t.txt", "0", "txt", [Page(1, text)]), Options())


@settings(max_examples=120, deadline=None)
@given(TEXTS)
def test_any_vietnamese_like_text_is_mined_without_raising(text):
    rows = _mine(text)
    assert len(rows["documents"]) == 1 and len(rows["pages"]) == 1
    for table, table_rows in rows.items():
        arrow_table(table, table_rows)  # every row has exactly its table's columns
        for r in table_rows:
            if r.get("start") is not None and table != "sections":
                assert 0 <= r["start"] <= r["end"] <= len(text)


def test_a_period_over_a_dates_characters_does_not_break_the_report(tmp_path):
    seed = (SEEDS / "000_8ec424762efb3ebc.txt").read_text(encoding="utf-8")
    path = tmp_path / "seed.txt"
    path.write_text(seed + "\nTrong tháng 12/2020, Sở tiếp nhận 5 hồ sơ.\n", encoding="utf-8")
    result = process_document(str(path), "seed")
    assert result.error is None
    dates = result.rows["dates"].to_pylist()
    assert {("date", "2020-12"), ("month", "2020")} <= {(d["kind"], d["value"]) for d in dates
                                                        if d["text"] == "tháng 12/2020"}


def test_a_document_longer_than_spacys_default_limit_is_mined_whole():
    seed = (SEEDS / "004_e0d8482e7872d50a.txt").read_text(encoding="utf-8")
    text = (seed * (1_200_000 // len(seed) + 1))[:1_200_000]
    rows = _mine(text)
    assert max(r["start"] for r in rows["citations"]) > 1_000_000
