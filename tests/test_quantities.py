"""Numbers and their forms."""
import pytest

from parmine.extract.quantities import find_quantities


def q(text):
    return [(x.text, x.value, x.kind, x.denominator, x.noun) for x in find_quantities(text)]


@pytest.mark.parametrize("text, want", [
    ("tiếp nhận 09 hồ sơ", [("09", 9, "count", None, "hồ sơ")]),
    ("khoảng 1.204.530 lượt truy cập", [("1.204.530", 1204530, "count", None, "lượt")]),
    ("đạt 81,35 điểm", [("81,35", 81.35, "decimal", None, "điểm")]),
    ("hoàn thành 17/20 nhiệm vụ", [("17/20", 17, "ratio", 20, "nhiệm vụ")]),
    ("đạt tỷ lệ 98,5%", [("98,5%", 98.5, "percent", None, None)]),
    ("đạt 100 % kế hoạch", [("100 %", 100, "percent", None, None)]),
    ("còn hai thủ tục chưa công bố", [("hai", 2, "count", None, "thủ tục")]),
    ("trong thời gian 12 ngày làm việc", [("12", 12, "duration", None, None)]),
    ("con từ đủ 18 tuổi trở lên", [("18", 18, "duration", None, None)]),
])
def test_forms(text, want):
    assert q(text) == want


@pytest.mark.parametrize("text", [
    "không có hồ sơ quá hạn", "không nhận được đơn thư nào", "Số phản ánh đã tiếp nhận: Không.",
])
def test_stated_absence_is_zero(text):
    (x,) = find_quantities(text)
    assert (x.value, x.kind) == (0, "absence")


@pytest.mark.parametrize("text", [
    "Quyết định số 12/2021/QĐ-UBND", "ngày 05/8/2021", "theo TCVN ISO 9001:2015", "quý 3 năm 2021",
    "tại mục 2.3. của", "\n2. Cải cách thể chế", "tại http://a.gov.vn/tin/2021", "giai đoạn 2021-2025",
    "mức độ 4", "(1) Nội dung", "theo Mẫu số 102 Phụ lục I", "Phụ lục số 2", "Biểu số 01",
])
def test_not_quantities(text):
    assert q(text) == []


def test_thousands_before_a_comma():
    assert q("đã giải quyết 1.198, trong đó")[0][:2] == ("1.198", 1198)
