"""Every indicator of the vocabulary has a human name in English and Vietnamese and a unit."""
import re

from conftest import SHARED

from parmine.pipelines.vocabulary import LABELS, RATE_BASES, label, unit


def test_every_indicator_of_the_spec_has_labels_and_a_unit():
    spec = (SHARED / "spec" / "indicators.md").read_text(encoding="utf-8")
    names = set(re.findall(r"^\| ((?:dossiers|procedures|plan|inspection|feedback|complaints|staff|par_index)"
                           r"\.[\w.]+)", spec, flags=re.M))
    names |= {n for part in re.findall(r"^\| ([\w.]+(?: / [\w.]+)+) \|", spec, flags=re.M) for n in part.split(" / ")}
    names |= set(re.findall(r"`(rate\.\w+)`", spec))
    assert len(names) > 45
    for name in names:
        assert name in LABELS, name
        assert label(name) != name and label(name, "vi") != label(name) and unit(name), name
    assert all(base in LABELS and not base.startswith("rate.") for base in RATE_BASES.values())
