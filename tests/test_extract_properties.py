"""Property test: random Unicode and random report-like text never break the
extractors, and every span lies within the text and matches its characters."""
from hypothesis import given, settings
from hypothesis import strategies as st

from parmine.extract.citations import find_citations
from parmine.extract.dates import find_dates, find_periods
from parmine.extract.indicators import find_indicators
from parmine.extract.metadata import extract_metadata
from parmine.extract.quantities import find_quantities
from parmine.extract.sections import parse_sections

FRAGMENTS = st.sampled_from([
    "Quyết định số ", "quyết định ", "Nghị định ", "Công văn số ", "Kế hoạch số ", " và ", ", ", "; ",
    "12/2021/QĐ-UBND", "7/KH-SNV", "18-NQ/TW", "30c/NQ-CP", "45/2020/ NĐ-CP", " ngày ", "22/10/2019",
    "31/02/2020", "ngày 5 tháng 3 năm 2014", "ngày   tháng 8 năm 2024", "quý III năm 2020", "6 tháng đầu năm",
    "từ 01/01/2017 - 08/6/2017", "giai đoạn 2016-2020", " tiếp nhận ", "34", "04", "2.986.670", "74,72",
    "47/47", "100%", " hồ sơ", " thủ tục", " trực tuyến", " đúng hạn", " không có hồ sơ trễ hạn", ": ",
    "\n", "\n\n", "I. ", "II. ", "1. ", "a) ", "- ", "+ ", "(", ")", "BÁO CÁO\n", "Nơi nhận:\n", "Kính gửi: ",
    "ISO 9001:2015", "Số: /BC-SNV\n", "Hà Nội, ", "Lĩnh vực Đất đai: ", "trong đó, ", "bao gồm:\n",
])
REPORTISH = st.lists(FRAGMENTS, max_size=60).map("".join)


def _check(text):
    for rec in find_citations(text) + find_dates(text) + find_periods(text) + find_quantities(text):
        assert 0 <= rec.start <= rec.end <= len(text)
        assert text[rec.start:rec.end] == rec.text
    for ind in find_indicators(text):
        assert 0 <= ind.start <= ind.end <= len(text) and text[ind.start:ind.end] == ind.text
    for sec in parse_sections(text):
        assert 0 <= sec.start <= sec.end <= len(text)
    extract_metadata(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_random_unicode(text):
    _check(text)


@settings(max_examples=250, deadline=None)
@given(REPORTISH)
def test_random_report_like_text(text):
    _check(text)
