"""Citations held against a registry: date, issuer and type conflicts,
unknown numbers only where the registry is complete enough, misspelt ids,
and citations it does not cover left alone."""
from conftest import SHARED

from parmine.audit.checks import DocFacts, audit_corpus
from parmine.audit.registry import RegistryCheck, resolve, same_issuer
from parmine.corpus.registry import Registry, RegistryEntry, load_registry
from parmine.extract.citations import find_citations

CENTRAL = load_registry(("builtin",))
BINHDUONG = load_registry((str(SHARED / "data" / "registries" / "binhduong.csv"),))


def audit(text, province="Quảng Trị", registry=CENTRAL):
    return audit_corpus([DocFacts("d", province, find_citations(text))], registry=RegistryCheck(registry))


def registry_findings(text, province="Quảng Trị", registry=CENTRAL):
    return [f for f in audit(text, province, registry) if f.kind.startswith("registry") or f.kind == "symbol_variant"]


def test_a_wrong_date_gives_the_registrys_date_title_and_link():
    (f,) = registry_findings("Thực hiện Nghị định số 61/2018/NĐ-CP ngày 23/5/2018 của Chính phủ về một cửa.")
    assert (f.kind, f.severity, f.id, f.expected) == ("registry_date_conflict", "warning", "61/2018/NĐ-CP",
                                                      "2018-04-23")
    assert "2018-05-23" in f.explanation and "Về thực hiện cơ chế một cửa, một cửa liên thông" in f.explanation
    assert "http://vbpl.vn/" in f.explanation and f.sentence.startswith("Thực hiện Nghị định")
    assert registry_findings("Thực hiện Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ.") == []


def test_documents_the_registry_does_not_cover_give_nothing():
    text = ("Thực hiện Quyết định số 1234/QĐ-UBND ngày 12/3/2019 của UBND tỉnh Quảng Trị; "
            "Nghị quyết số 19/NQ-CP ngày 12/3/2015 của Chính phủ; Quyết định số 2205/QĐ-TTg ngày 5/9/2019 "
            "của Thủ tướng Chính phủ; Công văn số 77/VPCP-KSTT ngày 8/1/2020.")
    assert registry_findings(text) == []
    # a decree of a year the registry holds most decrees of is reported unknown, as a warning
    (f,) = registry_findings("Nghị định số 170/2017/NĐ-CP ngày 3/3/2017 của Chính phủ.")
    assert (f.kind, f.severity, f.expected) == ("registry_unknown", "warning", None)
    assert "of the numbers 1–" in f.explanation
    # not in a year it holds few of, nor a number without its year
    assert registry_findings("Nghị định số 290/2025/NĐ-CP ngày 3/11/2025 của Chính phủ.") == []


def test_a_provinces_registry_checks_its_own_decisions_only():
    text = "Căn cứ Quyết định số 1707/QĐ-UBND ngày 16/7/2022 của UBND tỉnh Bình Dương về thủ tục hành chính."
    (f,) = registry_findings(text, "Bình Dương", BINHDUONG)
    assert (f.kind, f.expected) == ("registry_date_conflict", "2022-07-15")
    assert "công bố thủ tục hành chính được sửa đổi" in f.explanation
    # the 2020 decision of the same number is another document, dated right
    assert registry_findings(text.replace("16/7/2022", "29/6/2020"), "Bình Dương", BINHDUONG) == []
    # a year the registry has no 1707/QĐ-UBND of: another decision, not a conflict
    assert registry_findings(text.replace("16/7/2022", "16/7/2019"), "Bình Dương", BINHDUONG) == []
    # the same number in another province is another decision
    other = text.replace("Bình Dương", "Bạc Liêu")
    assert registry_findings(other, "Bình Dương", BINHDUONG) == []
    assert registry_findings(text.replace(" của UBND tỉnh Bình Dương", ""), "Huế", BINHDUONG) == []
    assert [f.kind for f in registry_findings(text.replace(" của UBND tỉnh Bình Dương", ""), "Bình Dương",
                                              BINHDUONG)] == ["registry_date_conflict"]


def test_issuer_and_type_conflicts():
    (f,) = registry_findings("Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Thủ tướng Chính phủ")
    assert (f.kind, f.expected) == ("registry_issuer_conflict", "Chính phủ")
    assert registry_findings("Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chinh phủ") == []
    (f,) = registry_findings("Nghị định số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ")
    assert (f.kind, f.expected) == ("registry_type_conflict", "Thông tư")
    assert same_issuer("Bộ Văn hóa, Thể thao và Du lịch", "Bộ Văn hoá Thông tin Thể thao và Du lịch")
    assert same_issuer("Bộ Công Thương", "Bộ Công an") is False and same_issuer("bổ sung", "Bộ Tư pháp") is None


def test_a_misspelt_id_is_a_symbol_variant_of_the_registrys_spelling():
    (f,) = registry_findings("Thông tư số 21/2019/TT-BGDDT ngày 29/11/2019 của Bộ Giáo dục và Đào tạo")
    assert (f.kind, f.severity, f.id, f.expected) == ("symbol_variant", "info", "21/2019/TT-BGDDT",
                                                      "21/2019/TT-BGDĐT")
    assert "as the registry spells it" in f.explanation and "Quy chế quản lý bằng tốt nghiệp" in f.explanation


def test_the_numbers_year_wins_over_a_registry_date_that_disagrees_with_it():
    assert CENTRAL.entries("05/2022/TT-BYT")[0].date == "2002-08-01"  # as the source gives it
    assert registry_findings("Thông tư số 05/2022/TT-BYT ngày 01/8/2022 của Bộ Y tế") == []


def test_a_date_that_is_not_the_documents_replaces_the_year_mismatch():
    # (22/11/2019 is the date of the law amending it)
    text = "Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13 ngày 22/11/2019;"
    assert [(f.kind, f.expected) for f in audit(text)] == [("registry_date_conflict", "2015-06-19")]
    assert [f.kind for f in audit_corpus([DocFacts("d", "Huế", find_citations(text))])] == [
        "citation_year_mismatch"]
    # a slip of the year alone stays a year mismatch too
    slip = audit("Nghị định số 61/2018/NĐ-CP ngày 23/4/2019 của Chính phủ")
    assert sorted(f.kind for f in slip) == ["citation_year_mismatch", "registry_date_conflict"]


def test_resolution_tells_documents_of_one_id_apart():
    bare, = find_citations("căn cứ số 24/2008/QH12")
    dated, = find_citations("căn cứ số 24/2008/QH12 ngày 13/11/2008")
    law, = find_citations("Luật Quốc tịch Việt Nam số 24/2008/QH12")
    resolution, = find_citations("Nghị quyết số 24/2008/QH12 của Quốc hội")
    assert resolve(bare, None, CENTRAL) is None  # a law or a resolution: nothing is guessed
    assert resolve(dated, None, CENTRAL).entry.title == "Quốc tịch Việt Nam"
    assert resolve(law, None, CENTRAL).entry.title == "Quốc tịch Việt Nam"
    assert resolve(resolution, None, CENTRAL).entry.title == "Về việc thi hành Luật thi hành án dân sự"
    undated, = find_citations("Quyết định số 1707/QĐ-UBND của UBND tỉnh Bình Dương")
    assert resolve(undated, "Bình Dương", BINHDUONG) is None  # numbered anew every year: which one?
    assert resolve(undated, "Bình Dương", BINHDUONG, date="2020-06-29").entry.date == "2020-06-29"


def test_a_short_form_stands_for_the_full_number_it_resolves_to():
    text = ("Thực hiện Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ. "
            "Theo Nghị định 61, bộ phận một cửa tiếp nhận hồ sơ.")
    check = RegistryCheck(CENTRAL)
    findings, _ = check(DocFacts("d", "Huế", find_citations(text)))
    assert findings == []
    assert [e.id for e in check.resolved.entries] == ["61/2018/NĐ-CP", "61/2018/NĐ-CP"]
    assert list(check.resolved.starts) == [23, 82]


def test_an_id_written_as_the_registry_writes_it_is_no_variant():
    text = "Quyết định số 9/QĐ-UBDN ngày 5/1/2022 của UBND tỉnh Huế."
    assert [f.kind for f in audit_corpus([DocFacts("d", "Huế", find_citations(text))])] == ["symbol_variant"]
    odd = Registry([RegistryEntry("9/QĐ-UBDN", "Quyết định", "2022-01-05", "UBND tỉnh Thừa Thiên Huế")])
    assert audit(text, "Thừa Thiên Huế", odd) == []


def test_the_registry_not_a_vote_among_reports_dates_a_national_document():
    wrong = find_citations("Nghị định số 61/2018/NĐ-CP ngày 23/5/2018 của Chính phủ")
    right = find_citations("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ")
    docs = [DocFacts("a", "Huế", wrong), DocFacts("b", "Hà Nội", wrong), DocFacts("c", "Sơn La", right)]
    got = sorted((f.kind, f.doc_id, f.expected) for f in audit_corpus(docs, registry=RegistryCheck(CENTRAL))
                 if "date" in f.kind)
    # the two wrong dates conflict with the one right date, which the registry confirms: not outvoted
    assert got == [("citation_date_conflict", "a", "2018-04-23"), ("citation_date_conflict", "b", "2018-04-23"),
                   ("registry_date_conflict", "a", "2018-04-23"), ("registry_date_conflict", "b", "2018-04-23")]
    # without a registry the reports vote
    assert [(f.doc_id, f.expected) for f in audit_corpus(docs) if f.kind == "citation_date_conflict"] == [
        ("c", "2018-05-23")]
