# parmine: two commands on a fresh Debian machine
#   make run    set everything up, then mine the bundled sample corpus into out/
#   make test   set everything up, then run the test suite
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
OUT    ?= out
SAMPLE ?= sample
DEBS   := tesseract-ocr tesseract-ocr-vie poppler-utils libreoffice-writer-nogui fonts-liberation2 chromium chromium-driver fonts-dejavu-core
export OMP_THREAD_LIMIT := 1

.PHONY: run test deps debs venv bench score models images clean

run: deps
	$(VENV)/bin/parmine run $(SAMPLE) -o $(OUT) --excel; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 2 ]

test: deps lint
	$(VENV)/bin/pytest

# the pure tests only (no real runs, OCR, browser or cluster): seconds, not minutes
test-fast: deps
	$(VENV)/bin/pytest -m "not slow"

lint: deps
	$(VENV)/bin/ruff check parmine tests bench scripts docs
	$(VENV)/bin/mypy

deps: debs venv

# Debian packages: OCR (Tesseract + Vietnamese model), poppler, LibreOffice for .doc
debs: .make/debs
.make/debs: Makefile
	@mkdir -p .make
	@if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie \
	   && command -v pdfimages >/dev/null && command -v soffice >/dev/null && command -v chromium >/dev/null \
	   && command -v chromedriver >/dev/null; then \
	  echo "Debian dependencies present"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEBS); \
	fi
	@touch $@

venv: $(VENV)/.installed
$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip wheel setuptools
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

# the seed reports scored against their gold (needs ../shared)
score: deps
	$(VENV)/bin/parmine run ../shared/corpus/seeds -o $(OUT)/seeds; [ $$? -le 2 ]
	$(PY) ../shared/tools/score.py ../shared/corpus/gold $(OUT)/seeds/pred

# rebuild the shipped model artifacts (fixed seeds)
models: deps
	$(VENV)/bin/parmine train area
	$(VENV)/bin/parmine train ner

# docs/img/: the plot, the notebook's main figure and the report screenshot, from sample/
images: deps
	$(PY) docs/make_images.py --sample $(SAMPLE) --out $(OUT)/images

bench: deps
	$(PY) bench/run_bench.py --docs 100 --jobs 1 2 --repeat 3

# whole runs on a synthetic archive of 1,000 and 10,000 documents (about an
# hour on 2 cores; needs ../shared): throughput, peak RSS, end-of-run seconds
.PHONY: bench-archive bench-archive-50k bench-archive-text
bench-archive: deps
	$(PY) bench/archive_bench.py --docs 1000 10000 --json $(OUT)/bench-archive.json

# the same at 50,000 documents (hours; run once, figures in the README)
bench-archive-50k: deps
	$(PY) bench/archive_bench.py --docs 50000 --json $(OUT)/bench-archive-50k.json

# the curve the README quotes: text files only, 1,000, 10,000 and 50,000
# documents (about an hour on 2 cores)
bench-archive-text: deps
	$(PY) bench/archive_bench.py --docs 1000 10000 50000 --mix text=100 --json $(OUT)/bench-archive-text.json

clean:
	rm -rf $(OUT) .make build *.egg-info
