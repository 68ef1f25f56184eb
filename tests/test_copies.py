"""Report identity: copies of one report are found, distinct reports kept apart."""
from conftest import SEEDS, shown_limit

from parmine.pipelines.copies import _sketch, fingerprint, group_copies, similarity

TEXT = (SEEDS / "003_46d9f00a676a4ea6.txt").read_text(encoding="utf-8")
OTHER = (SEEDS / "000_8ec424762efb3ebc.txt").read_text(encoding="utf-8")


def _doc(doc_id, text, fmt="txt", **meta):
    base = dict.fromkeys(("issuer", "province", "agency", "report_type", "period_kind", "period_year", "period_index",
                          "doc_number", "issued_date"))
    return {**base, **meta, "doc_id": doc_id, "format": fmt, "ocr_pages": None, "fingerprint": fingerprint(text)}


def _ocr_like(text: str) -> str:
    """The text with the slips a scan's OCR makes: lost tone marks, case, spacing."""
    return text.replace("ố", "ô").replace("ả", "a").replace("Đ", "D").replace("  ", " ").upper()


def test_a_scan_like_copy_is_near_identical_and_another_report_is_not():
    a, b, c = (_sketch(fingerprint(t)) for t in (TEXT, _ocr_like(TEXT), OTHER))
    assert similarity(a, b) > 0.9 and similarity(a, c) < 0.2


def test_copies_fold_onto_the_text_file():
    got = group_copies([_doc("r.pdf", TEXT, "scan-pdf"), _doc("r", _ocr_like(TEXT)), _doc("x", OTHER)])
    assert got["r"][1] is None and got["r.pdf"] == (got["r"][0], "r")
    assert got["x"][1] is None and got["x"][0] != got["r"][0] and got["r"][0].startswith("text:")


def test_known_metadata_that_disagrees_keeps_near_identical_texts_apart():
    # two consolidated texts of one decree, differing in number and date only
    got = group_copies([_doc("a", TEXT, doc_number="4804/VBHN", issued_date="2024-10-04"),
                        _doc("b", TEXT, doc_number="834/VBHN", issued_date="2024-03-05")])
    assert got["a"][1] is None and got["b"][1] is None and got["a"][0] != got["b"][0]
    got = group_copies([_doc("q3", TEXT, period_kind="quarter", period_index=3),
                        _doc("q4", TEXT, period_kind="quarter", period_index=4)])
    assert got["q3"][1] is None and got["q4"][1] is None


def test_the_same_issuer_number_and_date_is_one_report_whatever_the_text():
    meta = dict(agency="Sở Khoa học và Công nghệ", province="Quảng Trị", doc_number="12/BC-SKHCN",
                issued_date="2023-09-20")
    got = group_copies([_doc("b.docx", OTHER, "docx", **meta), _doc("a.pdf", TEXT, "pdf", **meta)])
    assert got["a.pdf"] == ("Sở Khoa học và Công nghệ, Quảng Trị|12/BC-SKHCN|2023-09-20", "b.docx")


def test_one_issuer_name_in_two_provinces_makes_two_reports():
    meta = dict(issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ", doc_number="12/BC-SKHCN", issued_date="2023-09-20")
    got = group_copies([_doc("qt", TEXT, province="Quảng Trị", **meta), _doc("hy", OTHER, province="Hưng Yên", **meta)])
    assert got["qt"][0] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ, Quảng Trị|12/BC-SKHCN|2023-09-20"
    assert got["hy"][0] != got["qt"][0] and got["hy"][1] is None and got["qt"][1] is None


def test_the_store_follows_only_pairs_that_may_join_one_report(tmp_path):
    """Near-identical reports of one template in other provinces are not
    copies, so finding a new report's copies never walks through them."""
    from parmine.pipelines.copies import _linked
    from parmine.pipelines.schema import arrow_table, columns
    from parmine.pipelines.store import Store

    def row(doc_id, text, fmt="txt", **meta):
        return {**dict.fromkeys(columns("documents")), "doc_id": doc_id, "format": fmt,
                "fingerprint": fingerprint(text), **meta}

    rows = [row("new", TEXT, province="Quảng Trị"), row("new.pdf", _ocr_like(TEXT), "scan-pdf", province="Quảng Trị"),
            *(row(f"other-{i}", TEXT, province=p) for i, p in enumerate(["Huế", "Đà Nẵng", "Lào Cai"] * 4)),
            row("unrelated", OTHER, province="Quảng Trị")]
    with Store(tmp_path) as store:
        store.insert("documents", arrow_table("documents", rows))
        reached, pairs = _linked(store, {"new"})
    assert reached == {"new", "new.pdf"} and {tuple(sorted(p)) for p in pairs} == {("new", "new.pdf")}


def test_the_store_pairs_the_same_number_and_date_and_near_identical_texts_in_one_search(tmp_path):
    """Both kinds of pair reach a new report: a copy found by its shared
    prefix hashes (another file of the same text) and one found by issuer +
    number + date (a differently worded file of the same report); reports
    that merely share the number in another province stay apart."""
    from parmine.pipelines.copies import _linked
    from parmine.pipelines.schema import arrow_table, columns
    from parmine.pipelines.store import Store

    meta = dict(agency="Sở Nội vụ", province="Quảng Trị", doc_number="12/BC-SNV", issued_date="2023-09-20")

    def row(doc_id, text, fmt="txt", **values):
        return {**dict.fromkeys(columns("documents")), "doc_id": doc_id, "format": fmt,
                "fingerprint": fingerprint(text), **values}

    rows = [row("new", TEXT, **meta), row("new.pdf", _ocr_like(TEXT), "scan-pdf", **meta),
            row("new.docx", OTHER, "docx", **meta),
            row("elsewhere", OTHER, **{**meta, "province": "Huế", "agency": "Sở Nội vụ Huế"})]
    with Store(tmp_path) as store:
        store.insert("documents", arrow_table("documents", rows))
        reached, pairs = _linked(store, {"new"})
    assert reached == {"new", "new.pdf", "new.docx"}
    assert {tuple(sorted(p)) for p in pairs} >= {("new", "new.pdf"), ("new", "new.docx")}
    assert not any("elsewhere" in p for p in pairs)


def test_a_chunk_whose_search_runs_out_of_memory_is_searched_in_halves(tmp_path):
    """DuckDB running out of its limit on a chunk of the frontier (here:
    whenever the chunk has more than one document) costs nothing but time:
    the halves are searched, and the pairs are those of one search."""
    import duckdb

    from parmine.pipelines import copies
    from parmine.pipelines.schema import arrow_table, columns
    from parmine.pipelines.store import Store

    def row(doc_id, text, fmt="txt", **meta):
        return {**dict.fromkeys(columns("documents")), "doc_id": doc_id, "format": fmt,
                "fingerprint": fingerprint(text), **meta}

    class Tight:
        """The store's connection, with a search of more than one frontier document out of memory."""

        def __init__(self, con):
            self.con, self.refused = con, 0

        def execute(self, sql, *args):
            if sql == copies._SHARED_HASH and self.con.execute("SELECT count(*) FROM _frontier").fetchall()[0][0] > 1:
                self.refused += 1
                raise duckdb.OutOfMemoryException("Out of Memory Error: (as DuckDB says it)")
            return self.con.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.con, name)

    rows = [row("a", TEXT, province="Huế"), row("a.pdf", _ocr_like(TEXT), "scan-pdf", province="Huế"),
            row("b", OTHER), row("b.docx", OTHER + " Nơi nhận: như trên.", "docx"), row("c", TEXT, province="Lào Cai")]
    with Store(tmp_path) as store:
        store.insert("documents", arrow_table("documents", rows))
        seeds = {"a", "b", "c"}
        whole = copies._linked(store, seeds)
        store.con = tight = Tight(store.con)
        halved = copies._linked(store, seeds)
        store.con = tight.con
    assert tight.refused >= 2
    assert halved == whole and {tuple(sorted(p)) for p in whole[1]} == {("a", "a.pdf"), ("b", "b.docx")}


def test_prefixes_rebuilt_in_pieces_are_retaken_whole_when_a_run_stops_midway(tmp_path, monkeypatch):
    """When the store has doubled, the hash counts are retaken and every
    document's prefixes rebuilt, a transaction per chunk of documents (one
    transaction over all held them all in DuckDB's memory: 31 MB at 50,000
    documents); until the last is in, the store notes no count, so a run
    stopped midway leaves the next one to rebuild them all."""
    import pytest

    from parmine.pipelines import copies
    from parmine.pipelines.schema import arrow_table, columns
    from parmine.pipelines.store import Store

    def row(doc_id, text):
        return {**dict.fromkeys(columns("documents")), "doc_id": doc_id, "format": "txt",
                "fingerprint": fingerprint(text)}

    texts = [TEXT, OTHER, _ocr_like(TEXT), _ocr_like(OTHER)]
    rows = [row(f"d{i}", t + f" phụ lục {i}") for i, t in enumerate(texts * 3)]
    monkeypatch.setattr(copies, "PREFIX_CHUNK", 5)
    with Store(tmp_path) as store:
        store.insert("documents", arrow_table("documents", rows))
        copies._prefixes(store, {"d0"})
        assert store.value("SELECT count(DISTINCT doc_id) FROM _prefixes") == 12
        assert store.state("hash_counts") == "12"

        store.insert("documents", arrow_table("documents", [row(f"e{i}", OTHER + f" mục {i}") for i in range(12)]))
        execute = store.execute
        inserts = []

        def stopping(sql, params=None):  # the rebuild stops after its first chunk of documents
            if sql.startswith("INSERT INTO _prefixes"):
                inserts.append(sql)
                if len(inserts) > 1:
                    raise KeyboardInterrupt
            execute(sql, params)
        monkeypatch.setattr(store, "execute", stopping)
        with pytest.raises(KeyboardInterrupt):
            copies._prefixes(store, {"e0"})
        monkeypatch.undo()
        assert store.state("hash_counts") == "0"
        assert store.value("SELECT count(DISTINCT doc_id) FROM _prefixes") == 5

        copies._prefixes(store, {"e1"})  # the next run: every document's prefixes, the counts noted
        assert store.value("SELECT count(DISTINCT doc_id) FROM _prefixes") == 24
        assert store.state("hash_counts") == "24"


def test_the_hash_counts_are_retaken_at_the_lean_limit_and_afresh_with_more_room_when_they_run_out(
        tmp_path, monkeypatch):
    """The recount groups every document's hashes: taken at the limit the
    search runs at (two thirds of DuckDB's), it is done again at the whole
    limit when DuckDB runs out, from a rolled-back transaction — no count
    lost, none counted twice."""
    from collections import Counter

    import duckdb

    import parmine.pipelines.store as store_module
    from parmine.pipelines import copies
    from parmine.pipelines.schema import arrow_table, columns
    from parmine.pipelines.store import Store

    monkeypatch.setattr(store_module, "MEMORY_LIMIT", "24MB")
    rows = [{**dict.fromkeys(columns("documents")), "doc_id": f"d{i}", "format": "txt",
             "fingerprint": fingerprint(t + f" phụ lục {i}")} for i, t in enumerate([TEXT, OTHER] * 3)]
    with Store(tmp_path) as store:
        store.insert("documents", arrow_table("documents", rows))
        execute, limits = store.execute, []

        def counting(sql, params=None):  # the first count runs out of memory after the old counts are deleted
            if sql.startswith("INSERT INTO _hash_counts"):
                limits.append(store.value("SELECT current_setting('memory_limit')"))
                if len(limits) == 1:
                    raise duckdb.OutOfMemoryException("out of memory")
            return execute(sql, params)
        monkeypatch.setattr(store, "execute", counting)
        with store.lean():
            copies._prefixes(store, {"d0"})
        assert limits == [shown_limit("16MB"), shown_limit("24MB")]
        shared = Counter(h for r in rows for h in set(r["fingerprint"].split()))
        assert dict(store.con.execute("SELECT h, cnt FROM _hash_counts").fetchall()) == {
            int(h, 16): n for h, n in shared.items() if n > 1}
        assert store.value("SELECT count(DISTINCT doc_id) FROM _prefixes") == 6
        assert store.state("hash_counts") == "6"

