"""Registry files: the shipped registries, a province's, header specs, and
malformed files refused with their line and reason."""
import pytest
from conftest import SHARED

from parmine.corpus.registry import (
    Registry,
    RegistryEntry,
    RegistryError,
    load_registry,
    number_year,
    read_registry,
    symbol_shape,
)

BINHDUONG = SHARED / "data" / "registries" / "binhduong.csv"


def test_the_shipped_registries_load_and_are_indexed():
    reg = load_registry(("builtin",))
    assert reg.sources == ("registry_central.csv", "registry_reform.csv")
    (decree,) = reg.entries("61/2018/NĐ-CP")
    assert (decree.type, decree.date, decree.issuer, decree.province) == (
        "Nghị định", "2018-04-23", "Chính phủ", None)
    assert decree.title.startswith("Về thực hiện cơ chế một cửa") and decree.url.startswith("http://vbpl.vn/")
    assert reg.entries("30c/NQ-CP")[0].source == "registry_reform.csv"  # outside the codification
    # one id, two documents (a law and a resolution of the same number) stay apart ...
    assert sorted(e.type for e in reg.entries("24/2008/QH12")) == ["Luật", "Nghị quyết"]
    # ... a row that repeats one (a blank cross-reference, another spelling) fills its blanks only
    (code,) = reg.entries("100/2015/QH13")
    assert (code.type, code.date, code.title) == ("Bộ luật", "2015-11-27", "Hình sự")
    assert [e.id for e in reg.near("61/2018/ND-CP")] == ["61/2018/NĐ-CP"] and reg.near("61/2018/NĐ-CP") == []


def test_a_provinces_registry_belongs_to_its_province():
    reg = load_registry((str(BINHDUONG),))
    assert len(reg) > 3000
    assert {e.province for same in reg.by_id.values() for e in same} == {"Bình Dương"}
    # local numbers start again every year: both decisions 1707/QĐ-UBND are kept
    assert sorted(e.date for e in reg.entries("1707/QĐ-UBND")) == ["2020-06-29", "2022-07-15"]


def test_coverage_is_per_kind_issuer_and_year_where_most_numbers_are_held():
    entries = [RegistryEntry(f"{n}/2018/NĐ-CP", "Nghị định", "2018-01-01") for n in range(1, 9)]
    entries += [RegistryEntry(f"{n}/2019/NĐ-CP", "Nghị định", "2019-01-01") for n in (1, 2, 3, 4, 50)]
    reg = Registry(entries)
    assert reg.covers("99/2018/NĐ-CP", None) == (8, 8)
    assert reg.covers("9/2019/NĐ-CP", None) is None      # 5 of 50 numbers: too few to say "unknown"
    assert reg.covers("9/2018/TT-BTC", None) is None     # another kind
    assert reg.covers("9/NĐ-CP", None) is None           # no year in the number
    assert number_year("61/2018/NĐ-CP") == 2018 and symbol_shape("77/2015/QH13") == "qh"


def test_a_header_spec_maps_other_column_names(tmp_path):
    path = tmp_path / "so.csv"
    path.write_text("Số văn bản;x,Ngày ký,Cơ quan ban hành\n"
                    "12/2020/QĐ-UBND,5/3/2020,UBND tỉnh Huế\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"line 1: no id column .*so\.csv:id=COLUMN"):
        read_registry(path)
    (e,) = read_registry(f"{path}:id=Số văn bản;x,date=Ngày ký")
    assert (e.id, e.date, e.issuer, e.province, e.source) == (
        "12/2020/QĐ-UBND", "2020-03-05", "UBND tỉnh Huế", "Thừa Thiên Huế", "so.csv")
    # Vietnamese header names are known without a spec
    (path2 := tmp_path / "vn.csv").write_text("Số ký hiệu,Ngày ban hành,Trích yếu\n7/QĐ-UBND,2021-01-02,X\n",
                                               encoding="utf-8")
    assert read_registry(path2)[0].title == "X"
    with pytest.raises(RegistryError, match="header spec 'when=Ngày ký'"):
        read_registry(f"{path}:when=Ngày ký")
    with pytest.raises(RegistryError, match="line 1: no column 'Ngày'"):
        read_registry(f"{path}:id=Số văn bản;x,date=Ngày")


@pytest.mark.parametrize("body, line, reason", [
    ("id,date\n1/QĐ-UBND,2020-01-02\n2/QĐ-UBND,2020-02-30\n", 3, "date '2020-02-30' is not a date"),
    ("id,date,title\n1/QĐ-UBND,2020-01-02,a\n\n2/QĐ-UBND,2020-01-03\n", 4, "2 fields where the header has 3"),
    ("id,date\n1/QĐ-UBND,2020-01-02\n,2020-01-03\n", 3, "no id"),
    ("id,date\nQĐ-UBND,2020-01-02\n", 2, "id 'QĐ-UBND' has no number"),
    ('id,date,title\n1/QĐ-UBND,2020-01-02,"a\nb"\n2/QĐ-UBND,13/13/2020,c\n', 4, "is not a date"),
    ('id,date,title\n1/QĐ-UBND,2020-01-02,"a"b\n', 2, ""),
    ("", 1, "no header row"),
])
def test_a_malformed_registry_is_refused_with_its_line(tmp_path, body, line, reason):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RegistryError, match=rf"bad\.csv: line {line}: .*{reason}"):
        read_registry(path)


def test_a_registry_in_another_encoding_is_refused_with_its_line(tmp_path):
    path = tmp_path / "cp1258.csv"
    path.write_bytes("id,date,issuer\n1/QĐ-UBND,2020-01-02,UBND\n2/QĐ-UBND,2020-01-03,Sở Tư pháp\n"
                     .encode().replace("ở".encode(), b"\xf5"))
    with pytest.raises(RegistryError, match=r"cp1258\.csv: line 3: not UTF-8"):
        read_registry(path)
    with pytest.raises(RegistryError, match="cannot be read"):
        read_registry(tmp_path / "missing.csv")


def test_an_earlier_registry_takes_precedence(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("id,date,type,title\n61/2018/NĐ-CP,2018-04-24,Nghị định,\n"
                    "7/QĐ-UBND,2019-05-06,Quyết định,X\n7/QĐ-UBND,2020-05-06,Quyết định,Y\n", encoding="utf-8")
    reg = Registry(read_registry(path)
                   + [RegistryEntry("61/2018/NĐ-CP", "Nghị định", "2018-04-23", "Chính phủ", "Về một cửa")])
    (decree,) = reg.entries("61/2018/nđ-cp")
    assert (decree.date, decree.issuer, decree.title, decree.source) == ("2018-04-24", "Chính phủ", "Về một cửa",
                                                                        "mine.csv")
    assert [e.title for e in reg.entries("7/QĐ-UBND")] == ["X", "Y"]  # numbered anew every year
