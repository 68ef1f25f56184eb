"""Dates and periods: numeric, written out, blank day, invalid; every period form."""
import pytest

from parmine.extract.dates import find_dates, find_periods, parse_date, parse_date_fallback


@pytest.mark.parametrize("text, value, precision", [
    ("ban hành ngày 07/3/2021 của", "2021-03-07", "day"),
    ("ngày 9/12/2015", "2015-12-09", "day"),
    ("ký ngày 30-06-2022", "2022-06-30", "day"),
    ("ngày 01.02.2018", "2018-02-01", "day"),
    ("Hà Nội, ngày 21 tháng 4 năm 2016", "2016-04-21", "day"),
    ("Huế, ngày    tháng 12 năm 2022", "2022-12", "month"),
    ("trong tháng 5 năm 2023 đã", "2023-05", "month"),
    ("hoạt động cách mạng từ 31 tháng 12 năm 1944 về trước", "1944-12-31", "day"),  # no "ngày"
    ("Hà Nội, 20 tháng 8 năm 2001", "2001-08-20", "day"),
])
def test_dates(text, value, precision):
    (d,) = find_dates(text)
    assert (d.value, d.precision, d.valid) == (value, precision, True)
    assert text[d.start:d.end] == d.text


@pytest.mark.parametrize("text", ["ngày 30/02/2021", "ngày 31/4/2019", "ngày 29 tháng 2 năm 2023"])
def test_impossible_dates_are_flagged_not_shifted(text):
    (d,) = find_dates(text)
    assert d.valid is False and d.value is None and d.text in text


@pytest.mark.parametrize("text", [
    "đạt 47/47 thủ tục", "tiêu chuẩn ISO 9001:2015", "số 12/2020/QĐ-UBND", "điện thoại 0236.3822.111",
    "tỷ lệ 3/4", "quý 2/2021 là quý",
])
def test_not_dates(text):
    assert [d.text for d in find_dates(text) if d.precision == "day"] == []


@pytest.mark.parametrize("text, kind, year, index", [
    ("báo cáo quý II năm 2022", "quarter", 2022, 2),
    ("trong Quý 1/2021", "quarter", 2021, 1),
    ("kết quả QUÝ IV/2018", "quarter", 2018, 4),
    ("quý IH năm 2019", "quarter", 2019, 3),          # OCR reads III as IH
    ("quý [II năm 2019", "quarter", 2019, 3),         # ... or as [II
    ("06 tháng đầu năm 2022", "half", 2022, 1),
    ("6 tháng cuối năm 2016", "half", 2016, 2),
    ("9 tháng đầu năm 2020", "nine_months", 2020, None),
    ("kết quả 9 tháng năm 2021", "nine_months", 2021, None),
    ("báo cáo năm 2018 của", "year", 2018, None),
    ("tháng 10 năm 2021", "month", 2021, 10),
])
def test_periods(text, kind, year, index):
    (p,) = find_periods(text)
    assert (p.kind, p.year, p.index) == (kind, year, index)
    assert text[p.start:p.end] == p.text


def test_period_without_year():
    (p,) = find_periods("phương hướng 6 tháng cuối năm")
    assert (p.kind, p.index, p.year) == ("half", 2, None)


@pytest.mark.parametrize("text, start, end", [
    ("số liệu từ 01/10/2021 - 31/3/2022 như sau", "2021-10-01", "2022-03-31"),
    ("từ ngày 15/12/2020 đến ngày 14/3/2021", "2020-12-15", "2021-03-14"),
])
def test_ranges(text, start, end):
    (p,) = find_periods(text)
    assert (p.kind, p.start_date, p.end_date) == ("range", start, end)


@pytest.mark.parametrize("text, first, last", [
    ("giai đoạn 2021-2025", 2021, 2025), ("nhiệm kỳ 2020 – 2025", 2020, 2025)])
def test_multi_year(text, first, last):
    (p,) = find_periods(text)
    assert (p.kind, p.year, p.end_year) == ("multi_year", first, last)


def test_a_date_is_not_a_period():
    assert find_periods("Quyết định ngày 12 tháng 3 năm 2019") == []
    assert find_periods("HỖ TRỢ NGƯỜI HOẠT ĐỘNG CÁCH MẠNG TỪ 31 THÁNG 12 NĂM 1944 VỀ TRƯỚC") == []
    # a number of a list before "tháng M năm Y" is no day
    assert [(p.kind, p.index) for p in find_periods("các mục 12, 3 tháng 6 năm 2020")] == [("month", 6)]


def test_parse_date_and_fallback():
    assert parse_date("ngày 2/9/2019").value == "2019-09-02"
    assert parse_date("không có ngày") is None
    assert parse_date_fallback("15 tháng 11, 2019") == "2019-11-15"
    assert parse_date_fallback("tháng 11") is None  # a missing day is not filled in
