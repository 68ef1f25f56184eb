"""Each audit check, positive and negative, on records built for the test."""
from dataclasses import replace

from parmine.audit.checks import DocFacts, audit_corpus, audit_document, symbol_distance
from parmine.extract.citations import find_citations
from parmine.extract.dates import find_dates
from parmine.extract.indicators import find_indicators
from parmine.extract.records import Metadata
from parmine.extract.tables import table_indicators


def kinds(text, meta=None, tables=()):
    inds = find_indicators(text)
    for i, t in enumerate(tables):
        inds += table_indicators(t, i)
    return sorted((f.kind, f.id) for f in audit_document(
        "d", find_citations(text), inds, find_dates(text), meta))


def test_date_conflict_within_a_report():
    text = ("Thực hiện Kế hoạch số 15/KH-UBND ngày 02/3/2021 của UBND tỉnh. "
            "Tiếp tục triển khai Kế hoạch số 15/KH-UBND ngày 02/3/2022 của UBND tỉnh.")
    assert kinds(text) == [("citation_date_conflict", "15/KH-UBND")]
    assert kinds(text.replace("02/3/2022", "02/3/2021")) == []


def test_same_local_number_in_two_provinces_is_no_conflict():
    a = find_citations("Kế hoạch số 04/KH-SKHCN ngày 09/02/2017 về kiểm soát TTHC.")
    b = find_citations("Kế hoạch số 04/KH-SKHCN ngày 05/01/2019 về tuyên truyền.")
    docs = [DocFacts("hp", "Hải Phòng", a), DocFacts("vt", "Bà Rịa - Vũng Tàu", b)]
    assert audit_corpus(docs) == []
    docs[1].province = "Hải Phòng"  # the same province: the same plan, two dates
    assert [f.kind for f in audit_corpus(docs)] == ["citation_date_conflict"]


def test_national_documents_conflict_across_reports():
    a = find_citations("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ")
    b = find_citations("Nghị định số 61/2018/NĐ-CP ngày 23/4/2019 của Chính phủ")
    docs = [DocFacts("a", "Huế", a), DocFacts("b", "Hà Nội", a), DocFacts("c", "Sơn La", b)]
    got = audit_corpus(docs)
    assert [(f.kind, f.doc_id, f.expected) for f in got if f.kind == "citation_date_conflict"] == [
        ("citation_date_conflict", "c", "2018-04-23")]


def test_malformed_numbers():
    assert kinds("Nghị định số 45/NĐ-CP ngày 2/4/2020 của Chính phủ") == [("citation_malformed", "45/NĐ-CP")]
    assert kinds("Thông báo số 77/SNV-VP ngày 2/4/2020") == [("citation_malformed", "77/SNV-VP")]
    assert kinds("Nghị định số 45/2020/NĐ-CP ngày 8/4/2020; Thông báo số 7/TB-SNV") == []


def test_issuer_mismatch():
    assert kinds("Nghị định số 45/2020/NĐ-CP ngày 8/4/2020 của Thủ tướng Chính phủ") == [
        ("citation_issuer_mismatch", "45/2020/NĐ-CP")]
    assert kinds("Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Chính phủ") == [
        ("citation_issuer_mismatch", "468/QĐ-TTg")]
    assert kinds("Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ") == []


def test_year_mismatch():
    assert kinds("Quyết định số 12/2021/QĐ-UBND ngày 3/1/2022") == [("citation_year_mismatch", "12/2021/QĐ-UBND")]
    assert kinds("Quyết định số 12/2021/QĐ-UBND ngày 3/1/2021") == []


def test_symbol_variants():
    text = ("Công văn số 11/STPP-VP ngày 2/1/2022; Quyết định số 5/QĐ-S&TP ngày 3/1/2022; "
            "Công văn số 12/STP-VP ngày 4/1/2022; Quyết định số 9/QĐ-UBDN ngày 5/1/2022.")
    assert kinds(text) == [("symbol_variant", "11/STPP-VP"), ("symbol_variant", "5/QĐ-S&TP"),
                           ("symbol_variant", "9/QĐ-UBDN")]
    assert symbol_distance("SKHCHN", "SKHCN") < 1 < symbol_distance("SKHĐT", "SKHCN")


def test_type_code_spelling_variants():
    assert [(k, i) for k, i in kinds("Nghị định số 63/2010/NĐCP ngày 8/6/2010 của Chính phủ")
            if k == "symbol_variant"] == [("symbol_variant", "63/2010/NĐCP")]
    # a joint circular's own code is no misspelt "TT-…", whatever word cites it
    for cited in ("Thông tư liên tịch số 191/2005/TTLT-BQP-BTC ngày 9/12/2005",
                  "Thông tư số 191/2005/TTLT-BQP-BTC ngày 9/12/2005"):
        assert [k for k, _ in kinds(cited) if k == "symbol_variant"] == []


def test_known_symbols_are_never_variants():
    assert kinds("Tờ trình số 3/TTr-SNV; Quyết định số 4/QĐ-TTg; Công văn số 5/SKHĐT-TH") == []


def test_arithmetic_in_prose():
    text = ("- Số hồ sơ tiếp nhận trong kỳ là 30 hồ sơ, trong đó:\n"
            "+ Số mới tiếp nhận trong kỳ: 22; số từ kỳ trước chuyển qua: 5\n"
            "- Số lượng hồ sơ đã giải quyết: 20; trong đó, trước hạn: 15, đúng hạn: 5, quá hạn: 0\n"
            "- Số lượng hồ sơ đang giải quyết: 7.")
    assert kinds(text) == [("arithmetic_mismatch", None)]
    assert kinds(text.replace("22;", "25;").replace("giải quyết: 7", "giải quyết: 10")) == []


def test_field_breakdown_against_its_total():
    text = "Sở đã tiếp nhận 40 hồ sơ, bao gồm:\n- Lĩnh vực Hộ tịch: 25 hồ sơ.\n- Lĩnh vực Chứng thực: 10 hồ sơ.\n"
    assert kinds(text) == [("arithmetic_mismatch", None)]
    assert kinds(text.replace("10 hồ sơ", "15 hồ sơ")) == []


def test_a_missing_part_is_unknown_not_zero():
    assert kinds("Số hồ sơ đã giải quyết: 20; trong đó, trước hạn: 15, đúng hạn: 3.") == []


def test_table_total_row():
    table = [["STT", "Tên thủ tục", "Tổng số hồ sơ tiếp nhận trực tuyến"],
             ["1", "Thủ tục A", "4"], ["2", "Thủ tục B", "5"], ["", "Tổng cộng", "8"]]
    assert kinds("", tables=[table]) == [("arithmetic_mismatch", None)]
    table[-1][-1] = "9"
    assert kinds("", tables=[table]) == []


def dated(text, meta):
    """The date findings of a one-sentence text (dates read with their sentence, as a run does)."""
    dates = [replace(d, sentence=text) for d in find_dates(text)]
    return sorted((f.kind, f.severity, f.id, f.explanation.split()[0]) for f in audit_document(
        "d", find_citations(text), [], dates, meta))


def test_invalid_and_future_dates():
    meta = Metadata(issued_date="2022-06-10")
    text = "Ngày 31/6/2022 Sở họp; ngày 20/7/2022 Sở kiểm tra."
    found = audit_document("d", [], [], find_dates(text), meta)
    assert sorted((f.kind, f.id, f.explanation.split()[0]) for f in found) == [
        ("date_invalid", None, "20/7/2022,"), ("date_invalid", None, "31/6/2022")]
    assert kinds("ngày 2/6/2022 Sở họp.", meta) == []


def test_a_cited_documents_later_date_is_that_citations_finding_and_a_sites_dates_are_not_the_documents():
    from parmine.extract.nlp import build_nlp
    from parmine.extract.records import Metadata as Meta

    text = ("Quyết định 7/QĐ-UBND đã được thay thế, áp dụng kể từ ngày 25/08/2015.\n\n"
            "ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 7/QĐ-UBND\n"
            "Bắc Giang, ngày 23 tháng 11 năm 2009\nQUYẾT ĐỊNH\nVỀ VIỆC BỔ SUNG TTHC\n"
            "Ngày 20/11/2010 UBND tỉnh ban hành Quyết định số 25/QĐ-UBND về việc thành lập Trung tâm.")
    doc = build_nlp()(text)
    dates, cits = doc._.records["dates"], doc._.records["citations"]
    assert {d.text: d.role for d in dates} == {"25/08/2015": "page", "ngày 23 tháng 11 năm 2009": "issued",
                                               "20/11/2010": "citation"}
    for kind in (None, "quyết định"):  # a cited document's later date, in any document
        found = audit_document("d", cits, [], dates, Meta(issued_date="2009-11-23", doc_kind=kind))
        assert [(f.kind, f.id) for f in found] == [("date_invalid", "25/QĐ-UBND")]


def test_deadlines_and_plans_are_not_after_the_fact():
    report = Metadata(issued_date="2022-06-10", doc_kind="báo cáo")
    for text in ("Các đơn vị gửi báo cáo trước ngày 30/6/2022.", "Kế hoạch có hiệu lực kể từ ngày 01/7/2022.",
                 "Hội nghị tổng kết dự kiến tổ chức vào ngày 15/7/2022.", "Thời gian thực hiện: từ ngày 1/7/2022."):
        assert dated(text, report) == [], text
    assert dated("Trung tâm chính thức khai trương ngày 15/7/2022.", report) == [
        ("date_invalid", "warning", None, "15/7/2022,")]
    # a decision sets dates to come
    assert dated("Trung tâm khai trương ngày 15/7/2022.", Metadata(issued_date="2022-06-10",
                                                                    doc_kind="quyết định")) == []


def test_findings_carry_evidence():
    text = "Thực hiện Nghị định số 45/NĐ-CP ngày 2/4/2020 của Chính phủ về thủ tục."
    (f,) = audit_document("d", find_citations(text), [], [], None)
    assert text[f.start:f.end] == "45/NĐ-CP" and f.sentence == text and f.explanation


def test_a_share_its_counts_contradict():
    text = "Đã giải quyết 180 hồ sơ; trong đó trễ hạn 18 hồ sơ (chiếm 25%)."
    assert kinds(text) == [("arithmetic_mismatch", None)]
    assert kinds(text.replace("25%", "10%")) == []
    # a share of all dossiers received is a share too (951 of 18.426 is 5,16%)
    assert kinds("Tiếp nhận 18.426 hồ sơ và giải quyết được 17.922 hồ sơ. Hồ sơ trễ hạn là 951 hồ sơ "
                 "(chiếm tỷ lệ 5,16%).") == []


def test_received_less_resolved_is_pending():
    text = "Tiếp nhận 50 hồ sơ, đã giải quyết 40 hồ sơ, đang giải quyết 20 hồ sơ."
    assert kinds(text) == [("arithmetic_mismatch", None)]
    assert kinds(text.replace("20 hồ sơ", "10 hồ sơ")) == []
