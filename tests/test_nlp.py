"""The spaCy pipeline's tokenizer: underthesea word segmentation, aligned
to the text character for character."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.vocab import Vocab

from parmine.extract.tokenizer import UndertheseaTokenizer


@pytest.fixture(scope="module")
def tok():
    return UndertheseaTokenizer(Vocab())


def test_multi_syllable_words_are_single_tokens(tok):
    doc = tok("Văn phòng đã tiếp nhận 15 hồ sơ thủ tục hành chính trực tuyến.")
    words = [t.text for t in doc]
    assert "hồ sơ" in words and "tiếp nhận" in words and "thủ tục" in words
    assert "15" in words


@pytest.mark.parametrize("text", [
    "",
    "   ",
    "Dòng một\n\n  Dòng hai  có hai  khoảng trắng\t và tab",
    "Quyết định số 12/2021/QĐ-UBND ngày 3/4/2021\n- Lĩnh vực Đất đai: 7 hồ sơ.\n",
    "\n\nĐầu trống và cuối trống\n\n",
])
def test_doc_text_equals_input(tok, text):
    doc = tok(text)
    assert doc.text == text
    for t in doc:
        assert text[t.idx:t.idx + len(t.text)] == t.text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăâđêôơư ÁÀẢẠẤỆ0123456789/-.,:;\n\t()%")), max_size=120))
def test_any_text_round_trips(text):
    doc = UndertheseaTokenizer(Vocab())(text)
    assert doc.text == text


def test_only_clauses_that_state_a_count_are_segmented(tok):
    doc = tok("Công tác cải cách thủ tục hành chính được quan tâm; đã tiếp nhận 34 hồ sơ thủ tục.")
    words = [t.text for t in doc]
    assert "hồ sơ" in words and "tiếp nhận" in words  # the clause with "34 hồ sơ"
    assert "cải" in words and "cách" in words  # the clause before it: syllables
    assert words.count("thủ tục") == 1


def test_each_record_keeps_its_own_identity():
    """"tháng 12/2020" is a month-precision date and a month period over the
    same characters: each span still holds its own record."""
    from parmine.extract.nlp import build_nlp
    from parmine.extract.records import DateMention, Period, Quantity

    doc = build_nlp()("Trong tháng 12/2020, Sở tiếp nhận 5 hồ sơ; tháng 12/2020 có 5 hồ sơ.")
    dates, periods = list(doc.spans["dates"]), list(doc.spans["periods"])
    assert dates and periods and (dates[0].start_char, dates[0].end_char) == (periods[0].start_char, periods[0].end_char)
    assert all(type(s._.record) is DateMention for s in dates)
    assert all(type(s._.record) is Period and s._.record.kind == "month" for s in periods)
    assert all(type(s._.record) is Quantity for s in doc.spans["quantities"])


def test_the_documents_own_number_is_no_citation():
    from parmine.extract.nlp import build_nlp

    text = ("Quyết định 119/QĐ-UBND năm 2009 bổ sung thủ tục hành chính\n\n"
            "ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Số: 119/QĐ-UBND\nBắc Giang, ngày 23 tháng 11 năm 2009\nQUYẾT ĐỊNH\nVỀ VIỆC BỔ SUNG TTHC\n"
            "Căn cứ Quyết định số 81/QĐ-UBND ngày 17/8/2009 của UBND tỉnh;\n"
            "QUY CHẾ\n(Ban hành kèm theo Quyết định số 119/QĐ-UBND ngày 23/11/2009)")
    doc = build_nlp()(text)
    assert [s._.record.id for s in doc.spans["citations"]] == ["81/QĐ-UBND"]
