"""Build parmine/corpus/data/localities.csv: districts and communes before
the 2025 reform, each with the province it belongs to.

Source: the General Statistics Office's list of administrative units
(danhmuchanhchinh.gso.gov.vn) as packaged in the PyPI distribution
``vietnam-provinces==0.6.0`` (file ``vietnam_provinces/data/nested-divisions.json``).

    pip download --no-deps vietnam-provinces==0.6.0 && unzip vietnam_provinces-0.6.0-*.whl
    python scripts/build_localities.py vietnam_provinces/data/nested-divisions.json

Districts are all kept; a commune is kept only when its level and name are
unique in the country (``xã Tân Phú`` exists in dozens of provinces and says
nothing about which).
"""
from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

LEVELS = ("Tỉnh", "Thành phố", "Thị xã", "Thị trấn", "Huyện", "Quận", "Phường", "Xã")


def split(name: str) -> tuple[str, str]:
    for level in LEVELS:
        if name.lower().startswith(level.lower() + " "):
            return level.lower(), name[len(level) + 1:]
    raise ValueError(name)


def _plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c))


def main(src: str) -> None:
    data = json.loads(Path(src).read_text(encoding="utf-8"))
    data_dir = Path(__file__).resolve().parents[1] / "parmine" / "corpus" / "data"
    known = {_plain(r["province"]): r["province"]
             for r in csv.DictReader(open(data_dir / "provinces.csv", encoding="utf-8"))}
    rows = []
    communes = Counter()
    for p in data:
        province = split(p["name"])[1]
        province = known[_plain({"Huế": "Thừa Thiên Huế"}.get(province, province))]
        for d in p["districts"]:
            rows.append((*split(d["name"]), province, "district"))
            for w in d["wards"]:
                communes[split(w["name"])] += 1
                rows.append((*split(w["name"]), province, "commune"))
    keep = [r for r in rows if r[3] == "district" or communes[(r[0], r[1])] == 1]
    out = data_dir / "localities.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["level", "name", "province", "tier"])
        w.writerows(keep)
    print(f"{len(keep)} localities -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
