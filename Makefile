# SPDX-License-Identifier: GPL-2.0-only
# md-kmap: the kmap_atomic() -> kmap_local_page() series for md, and the
# harness that builds, checks and ships it.  See README.md.
#
#   make                  tree + outgoing mail + guest image + the gcov
#                         kernel and the quick subset of the scenarios on it
#   make check            the tests (TAP, through prove)
#   make tree             BUILD/linux: base commit + the series (BASE_TREE=...)
#   make outgoing         BUILD/outgoing: git format-patch mails (REROLL=N);
#                         SERIES=fixes: the fixes, apart, in BUILD/outgoing-fixes
#   make kernel           build CONFIG (highmem) at REV (series|base|<commit>)
#   make export-series    write the tree's commits back to patches/
#   make bench            the series against the base, in instruction time

BUILD ?= $(CURDIR)/build
CONFIG ?= highmem
REV ?= series
REROLL ?= 1
# The series 'make outgoing' and 'make export-series' work on: kmap
# (patches/) or a series of its own in patches/NAME/ (fixes).
SERIES ?= kmap
export BUILD BASE_TREE BASE_REF SERIES

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
.NOTPARALLEL:
.PHONY: all deps deps-browser tree outgoing outgoing-if-identity kernel quick check check-all bench export-series clean distclean

all: deps tree outgoing-if-identity quick

deps:
	@tools/install-deps

# Only check-all opens the report in a browser.
deps-browser:
	@tools/install-deps browser

tree: deps
	@tools/make-tree

outgoing: tree
	@tools/make-outgoing $(REROLL)

# 'make' on a machine without a git identity still does everything else.
outgoing-if-identity: tree
	@if git -C $(BUILD)/linux config user.email >/dev/null; then \
		tools/make-outgoing $(REROLL); \
	else \
		echo "make: skipping outgoing mail: no git identity (git config --global user.name/user.email), then 'make outgoing'"; \
	fi

kernel: tree
	@tools/build-kernel $(CONFIG) $(REV)

# The quick subset of the md scenarios on the series' gcov kernel (the
# debug config with counters: the kernel 'make check' runs too).
quick: tree
	@mkdir -p $(BUILD)/report
	@rc=0; tools/check-md gcov series quick | tee $(BUILD)/report/quick.tap || rc=$$?; \
		tools/make-report; \
		awk '/^ok /{ p++ } /^not ok /{ f++ } END { printf "quick subset on the series gcov (debug) kernel: %d passed, %d failed\n", p, f }' \
			$(BUILD)/report/quick.tap; exit $$rc

check: deps tree
	@mkdir -p $(BUILD)/report
	prove -v --timer --exec '' tests/static/[0-9]* | tee $(BUILD)/report/static.tap
	rc=0; prove -v --timer --exec '' tests/boot/[0-9]* | tee $(BUILD)/report/boot.tap || rc=$$?; \
		tools/make-report; exit $$rc

# What make check leaves out for time: the extended scenarios on both gcov
# (debug) kernels -- the reproducers of the journal hangs among them, known
# failures there -- and on the kernel of each series of its own
# (md-kmap-fixes), where the reproducers must pass; every scenario on the
# PAE kernel; the seeded defects marked check-all (with those of make
# check, whose catches stand); then the report, opened in a browser
# (tests/report).
EXTRA_SERIES := $(notdir $(patsubst %/series,%,$(wildcard patches/*/series)))
check-all: deps-browser check
	rc=0; { r=0; for k in "gcov series extended" "gcov base extended" \
		$(foreach s,$(EXTRA_SERIES),"gcov md-kmap-$(s) extended") "pae series all"; do \
		tools/check-md $$k || r=1; done; tests/boot/004-mutants all || r=1; exit $$r; } | \
		tee $(BUILD)/report/extended.tap || rc=$$?; \
		tools/make-report; \
		prove -v --timer --exec '' tests/report/[0-9]* | tee $(BUILD)/report/report.tap || rc=$$?; \
		exit $$rc

# The perf kernels, base, series and known-cost, booted in turn in
# instruction time: the kmap microbenchmark module and fio on md
# (Documentation/performance.md).
bench: deps tree
	@mkdir -p $(BUILD)/report
	rc=0; tools/bench || rc=$$?; \
		tools/make-report; exit $$rc

export-series:
	@tools/export-series

# Objects, kernels, logs and mail; the tree (which may hold your commits)
# stays.  distclean removes everything under BUILD.
clean:
	rm -rf $(BUILD)/obj $(BUILD)/kernels $(BUILD)/logs $(BUILD)/outgoing $(BUILD)/report

distclean:
	@tools/distclean
