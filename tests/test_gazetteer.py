"""The province gazetteer: 63 → 34 mapping, codes, aliases, mentions."""
import csv

import pytest
from conftest import SHARED

from parmine.corpus.gazetteer import Gazetteer

G = Gazetteer.default()


def test_all_63_provinces_map_as_the_resolution_says():
    rows = list(csv.DictReader(open(SHARED / "spec" / "provinces-2025.csv", encoding="utf-8")))
    assert len(rows) == 63 and len(G.provinces) == 63
    for r in rows:
        assert G.find(r["province_before_2025"]).unit_2025 == r["unit_after_2025"]
    assert len({p.unit_2025 for p in G.provinces}) == 34


def test_codes_are_unique_two_digit_and_known():
    codes = [p.code for p in G.provinces]
    assert len(set(codes)) == 63 and all(len(c) == 2 and c.isdigit() for c in codes)
    assert [G.code(n) for n in ("Hà Nội", "Hải Phòng", "Quảng Trị", "Hưng Yên", "Bà Rịa - Vũng Tàu",
                                "Hồ Chí Minh", "Cà Mau")] == ["01", "31", "45", "33", "77", "79", "96"]


@pytest.mark.parametrize("alias, name", [
    ("TP.HCM", "Hồ Chí Minh"), ("TP. Hồ Chí Minh", "Hồ Chí Minh"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("BR-VT", "Bà Rịa - Vũng Tàu"), ("Bà Rịa Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
    ("Hung Yên", "Hưng Yên"), ("hung yen", "Hưng Yên"), ("TỈNH QUẢNG TRỊ", "Quảng Trị"),
    ("Khánh Hoà", "Khánh Hòa"), ("Thanh Hoá", "Thanh Hóa"), ("Đắc Lắc", "Đắk Lắk"),
    ("tỉnh Bắc Cạn", "Bắc Kạn"), ("thành phố Cần Thơ", "Cần Thơ"),
])
def test_aliases(alias, name):
    assert G.find(alias).name == name


@pytest.mark.parametrize("name", ["Sài Gòn Mới", "Hà", "Quận 1", ""])
def test_unknown_names(name):
    assert G.find(name) is None


def test_mentions_in_text():
    text = "Sở Nội vụ tỉnh Hòa Bình và thành phố Đà Nẵng; BR-VT."
    assert [p.name for _, _, p in G.mentions(text)] == ["Hòa Bình", "Đà Nẵng", "Bà Rịa - Vũng Tàu"]
    s, e, _ = G.mentions(text)[0]
    assert text[s:e] == "Hòa Bình"


@pytest.mark.parametrize("name, province", [
    ("huyện Krông Năng", "Đắk Lắk"), ("HUYỆN ĐIỆN BÀN", "Quảng Nam"), ("thành phố Buôn Ma Thuột", "Đắk Lắk"),
    ("đặc khu Vân Đồn", "Quảng Ninh"), ("Krông Năng", "Đắk Lắk"), ("xã Tân Phú", None), ("huyện Châu Thành", None),
])
def test_districts_and_communes(name, province):
    loc = Gazetteer.default().locality(name)
    assert (loc.province if loc else None) == province


def test_split_letters_and_locality_mentions():
    g = Gazetteer.default()
    assert g.find("T hành phố Hồ Chí M inh").name == "Hồ Chí Minh"
    assert [loc.province for _, _, loc in g.locality_mentions("UBND huyện Cư M’gar và thị xã Sơn Tây")] == \
        ["Đắk Lắk", "Hà Nội"]
