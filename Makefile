# SPDX-License-Identifier: GPL-2.0-only
# md-kmap: the kmap_atomic() -> kmap_local_page() series for md, and the
# harness that builds, checks and ships it.  See README.md.
#
#   make                  tree + outgoing mail + guest image + the gcov
#                         kernel and the quick subset of the scenarios on it,
#                         for BASE (default: current; BASE=6.12)
#   make check            the tests (TAP, through prove), every base
#   make tree             BUILD/LINE/linux: base commit + the series
#                         (BASE_TREE=...)
#   make outgoing         BUILD/LINE/outgoing: git format-patch mails, a
#                         thread per maintainer set (REROLL=N); SERIES=fixes:
#                         the fixes, apart, in BUILD/LINE/outgoing-fixes
#   make kernel           build CONFIG (highmem) at REV (series|base|<commit>)
#   make export-series    write the tree's commits back to patches/LINE/
#   make bench            the series against the base, in instruction time

BUILD ?= $(CURDIR)/build
# The base: current, the newest line of Linux that Debian's archive serves
# (tools/fetch-base), or a line with a queue in patches/ (6.12, 7.3);
# BASE_VERSION=V takes that package version of it.  BASE_TREE=~/linux
# puts the series on your own checkout instead.
BASE ?= current
CONFIG ?= highmem
REV ?= series
REROLL ?= 1
# The series 'make outgoing' and 'make export-series' work on: kmap (the
# queue, patches/LINE/) or a series of its own in patches/LINE/NAME/
# (fixes).
SERIES ?= kmap
export BUILD BASE BASE_VERSION BASE_TREE BASE_REF SERIES

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
.NOTPARALLEL:
.PHONY: all run-start deps deps-browser tree outgoing outgoing-if-identity kernel quick check check-all bench export-series clean distclean

all: run-start deps tree outgoing-if-identity quick
	@tools/run-record all 0

# When a run of make or make check began: tools/run-record's start.
run-start:
	@tools/check-space $(if $(filter check check-all,$(MAKECMDGOALS)),check,all)
	@mkdir -p $(BUILD)/report
	@date +%s >$(BUILD)/report/.start

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
	@if git config user.email >/dev/null; then \
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

# The static tests on the default base; on every other base with a queue
# those that check its series (a '# md-kmap-test: every base' line), the
# rest of them in check-all.  Then the boot tests: every scenario on the
# default base's series and base, the quick subset on the other bases'
# (tests/boot/009-other-bases), the seeded defects, every commit booted,
# coverage.  Boot tests marked '# md-kmap-test: check-all' (the bisect
# and the benchmark smoke, which prove tools, not the series) and the
# compile check's configs marked compile=check-all run in check-all.
EVERY_BASE_STATIC = $(shell grep -l '^\# md-kmap-test: every base' tests/static/[0-9]*)
CHECK_ALL_BOOT = $(shell grep -l '^\# md-kmap-test: check-all' tests/boot/[0-9]*)
# The other bases' static tests and the kernels the boot tests boot
# (tools/prebuild) run beside the default base's static tests (those are
# mostly one process at a time), their output shown when all are done.
# A failure anywhere still lets the boot tests and the report run.
check: run-start deps tree
	rc=0; r=$(BUILD)/report; \
	tools/prebuild >$$r/prebuild.log 2>&1 & pre=$$!; \
	{ for b in $$(tools/bases other); do \
		BASE=$$b tools/make-tree >$$r/static-$$b.tap 2>$$r/static-$$b.err && \
		BASE=$$b prove -v --timer --exec '' $(EVERY_BASE_STATIC) >$$r/static-$$b.tap 2>$$r/static-$$b.err || exit 1; \
	done; } & other=$$!; \
	prove -v --timer --exec '' tests/static/[0-9]* | tee $$r/static-$$(tools/bases default).tap || rc=1; \
	wait $$other || rc=1; wait $$pre || true; \
	echo "# kernels built beside them (tools/prebuild):"; sed 's/^/# /' $$r/prebuild.log; \
	for b in $$(tools/bases other); do \
		echo "# the static tests on $$b (side by side with the above):"; cat $$r/static-$$b.tap $$r/static-$$b.err; \
	done; \
	prove -v --timer --exec '' $(filter-out $(CHECK_ALL_BOOT),$(wildcard tests/boot/[0-9]*)) | \
		tee $$r/boot.tap || rc=1; \
	tools/make-report; tools/run-record check $$rc; exit $$rc

# What make check leaves out for time, on every base (tools/check-extended):
# the compile check on every config, the boot tests marked check-all;
# the static tests make check runs on the default base only; the
# extended scenarios on both gcov (debug) kernels -- the reproducers of
# the journal hangs among them, known failures there -- and on the
# kernel of each series of its own (md-kmap-fixes), where the reproducers
# must pass; on the other bases every scenario; every scenario on the
# PAE kernel where the base still has PAE; every seeded defect (those of
# make check stand); then the report, opened in a browser (tests/report).
check-all: deps-browser check
	rc=0; MD_KMAP_CHECK_ALL=1 prove -v --timer --exec '' tests/static/004-* $(CHECK_ALL_BOOT) | \
		tee $(BUILD)/report/check-all.tap || rc=1; \
	for b in $$(tools/bases other); do \
		BASE=$$b MD_KMAP_CHECK_ALL=1 prove -v --timer --exec '' tests/static/[0-9]* | tee $(BUILD)/report/static-$$b.tap || rc=1; \
	done; \
	{ r=0; tools/check-extended default || r=1; \
		for b in $$(tools/bases other); do BASE=$$b tools/check-extended other || r=1; done; \
		exit $$r; } | tee $(BUILD)/report/extended.tap || rc=1; \
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

# Objects, kernels, logs and mail of every base; the trees (which may hold
# your commits) stay.  distclean removes everything under BUILD.
clean:
	rm -rf $(BUILD)/*/obj $(BUILD)/*/kernels $(BUILD)/*/logs $(BUILD)/*/outgoing* $(BUILD)/report

distclean:
	@tools/distclean
