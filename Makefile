# Bedside: the two commands are `make run` (the demo) and `make test` (the whole suite).
# Everything else is set up by them: the virtual environment in .venv and the Python packages.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ONLY   ?=

.PHONY: run test bench validate lint sbom screenshot system-deps clean translations translations-update

# A venv with pip; on a bare Debian without python3-venv's ensurepip (where `python3 -m venv` fails), a
# venv without pip plus the system pip pointed at it (`pip --python`).
$(PY):
	$(PYTHON) -m venv $(VENV) || ($(PYTHON) -m venv --without-pip --clear $(VENV) && \
	  $(PYTHON) -m pip --python $(PY) install -q pip)

$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test,postgres]'
	touch $@ $(VENV)/.installed-app

# The translations compiled where the app loads them: Qt's .ts to .qm (pyside6-lrelease), gettext's
# .po to .mo (Babel), beside their sources. After changing a text in the code: make translations-update,
# translate what it reports, make translations. docs/translating.md says more.
I18N_SOURCES := $(wildcard resources/i18n/*/*.ts resources/locale/*/LC_MESSAGES/*.po)
$(VENV)/.translations: $(I18N_SOURCES) resources/i18n/catalogues.toml | $(VENV)/.installed-app
	$(PY) -m bedside_ui.translations compile
	touch $@

translations: $(VENV)/.translations

translations-update: $(VENV)/.installed-app
	$(PY) -m bedside_ui.translations update
	$(PY) -m bedside_ui.translations check || true

run: $(VENV)/.installed-app $(VENV)/.translations
	$(VENV)/bin/bedside --demo $(ARGS)

test: $(VENV)/.installed-test $(VENV)/.translations
	tests/with-postgres.sh $(PY) -m pytest

bench: $(VENV)/.installed-test
	tests/with-postgres.sh $(PY) tests/bench/run.py $(if $(ONLY),--only $(ONLY))

# Clinical validation: every case of resources/validation/cases through ingest and the rule engine, the
# table and the three figures (docs/validation.md); build/validate.json; fails when a target is missed.
validate: $(VENV)/.installed-test
	$(PY) -m bedside_adapters.validation.report $(if $(ONLY),--only $(ONLY))

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports

# The software bill of materials: every Python package installed in .venv (Bedside among them) with its
# version, licence and package URL, as CycloneDX JSON in $(SBOM). How a site audits it against a
# vulnerability database: docs/security.md, "Auditing the software".
SBOM ?= build/sbom.cdx.json
sbom: $(VENV)/.installed-test
	mkdir -p $(dir $(SBOM))
	$(VENV)/bin/cyclonedx-py environment --mc-type application --output-format JSON \
	  --output-file $(SBOM) $(PY)
	@echo "SBOM of $(VENV): $(SBOM)"

# The pictures of docs/screens.md (and the README's), each of the demo in a real X server (Xvfb): how a
# person checks the screen. Each scenario at both sizes (docs/screenshots/<scenario>-<size>.png), the review, the report's
# first two pages, and the nurse's screen at both sizes in both themes.
SCENARIOS = improving reaction calm-with-artefacts ward
screenshot: $(VENV)/.installed-app $(VENV)/.translations
	mkdir -p docs/screenshots
	for s in $(SCENARIOS); do for size in 1366x768 1920x1080; do \
	  xvfb-run -a -s "-screen 0 $${size}x24" $(VENV)/bin/bedside --demo --scenario $$s --theme dark --size $$size \
	    --screenshot docs/screenshots/$$s-$$size.png --screenshot-after 25 || exit 1; \
	done; done
	xvfb-run -a -s "-screen 0 1920x1080x24" $(VENV)/bin/bedside --demo --scenario improving --theme dark \
	  --size 1920x1080 --review --screenshot docs/screenshots/review.png --screenshot-after 45 || exit 1
	demo=$${BEDSIDE_DATA_DIR:-$$HOME/.local/share/bedside}/demo; \
	$(VENV)/bin/bedside-cli --db $$demo/bedside-demo.sqlite3 \
	  report --patient SIM4417 --out docs/report-example.pdf --credentials $$demo/credentials/marta
	for page in 1 2; do pdftoppm -r 80 -png -f $$page -l $$page -singlefile docs/report-example.pdf \
	  docs/screenshots/report-page-$$page; done
	for size in 1920x1080 1366x768; do for theme in dark light; do \
	  xvfb-run -a -s "-screen 0 $${size}x24" $(VENV)/bin/bedside --demo --scenario reaction --theme $$theme \
	    --size $$size --screenshot docs/screenshots/nurse-$$size-$$theme.png --screenshot-after 25 || exit 1; \
	done; done
	xvfb-run -a -s "-screen 0 1366x768x24" $(VENV)/bin/bedside --demo --scenario reaction --theme dark --lang es \
	  --size 1366x768 --screenshot docs/screenshots/nurse-1366x768-dark-es.png --screenshot-after 25 || exit 1

# Debian packages the tests and the screenshot need (root). .ci/run calls this.
system-deps:
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	  libgl1 libegl1 libfontconfig1 libfreetype6 libxkbcommon0 libglib2.0-0 libdbus-1-3 fonts-dejavu-core \
	  xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-xkb1 \
	  libx11-xcb1 postgresql poppler-utils slapd ldap-utils \
	  libpulse0

clean:
	rm -rf $(VENV) build *.egg-info
