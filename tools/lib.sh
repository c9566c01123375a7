# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for the tools/ scripts.  Sourced, never run.
#
# Every tool works on one build directory (BUILD, default ./build) and in
# it on the directory of one base (BASE_BUILD, BUILD/6.12 or BUILD/7.3,
# see Bases below), which holds the materialized kernel tree (linux/),
# object directories (obj/), worktrees for other revisions (src/), built
# kernels (kernels/), scenario results (results/), the outgoing mail
# (outgoing/) and logs; the report of every base is BUILD/report.

# Scripts in tools/ find the top from their own path; others set MD_KMAP_TOP.
TOP=${MD_KMAP_TOP:-$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
CONFIGS=$TOP/configs
# The report of every base; what a base's own steps leave for it (its
# coverage, seeded defects, benchmark) is in BASE_REPORT, REPORT/LINE.
REPORT=$BUILD/report
CACHE=${MD_KMAP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/md-kmap}

# The identity the stored patches carry, and the one the tree's own
# commits are made with, so that every machine makes the same hashes.
PROJECT_NAME='md-kmap'
PROJECT_EMAIL='md-kmap@example.org'

prog=$(basename -- "$0")

die() {
	printf '%s: error: %s\n' "$prog" "$*" >&2
	exit 1
}

# Bases.  A base is a line of Linux releases, named as Debian names its
# source package linux-source-NAME (6.12, 7.3), and has a queue of its
# own, as stable-queue keeps one per kernel: patches/NAME/ (the kmap
# series, with a series of its own in each patches/NAME/SUB/).  A later
# line without a queue (7.4) takes the newest queue before it, and its
# tree says whether that still applies.  BASE picks the base: a NAME, or
# 'current' (the default), the newest line Debian's archive serves, as
# tools/fetch-base last found it for this build directory (BUILD/current;
# before that: the newest queue).  With BASE_TREE the base is the line of
# that checkout.  Everything made for a base -- its tree, objects,
# kernels, results -- lives in BASE_BUILD=BUILD/NAME; the report of all
# bases in BUILD/report.
BASE=${BASE:-current}

# queue_names: the bases with a queue, oldest first.
queue_names() {
	for q in "$TOP"/patches/*/series; do
		[ -f "$q" ] || continue
		q=${q%/series}
		printf '%s\n' "${q##*/}"
	done | sort -V
}

# queue_for NAME: the queue a base line takes: its own, else the newest
# before it; fails when there is none.
queue_for() {
	qf=''
	for q in $(queue_names); do
		[ "$(printf '%s\n%s\n' "$q" "$1" | sort -V | tail -n 1)" != "$1" ] || qf=$q
	done
	[ -n "$qf" ] && printf '%s\n' "$qf"
}

# tree_line DIR [REF]: the release line (VERSION.PATCHLEVEL) of the kernel
# checkout DIR at REF (default HEAD).
tree_line() {
	git -C "$1" show "${2:-HEAD}:Makefile" 2>/dev/null |
		sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p' | head -n 2 | paste -sd.
}

# set_base NAME: the base the tools work on from now on: BASE_NAME,
# BASE_BUILD, LINUX, QUEUE (its patches/ directory) and the series in it.
set_base() {
	printf '%s\n' "$1" | grep -Eqx '[0-9]+\.[0-9]+' ||
		die "BASE must be 'current' or a Linux release line such as 6.12 or 7.3, not '$1'"
	BASE_NAME=$1
	BASE_BUILD=$BUILD/$BASE_NAME
	# shellcheck disable=SC2034 # used by the tools that report a base
	BASE_REPORT=$REPORT/$BASE_NAME
	LINUX=$BASE_BUILD/linux
	QUEUE=$(queue_for "$BASE_NAME") && QUEUE=$TOP/patches/$QUEUE || QUEUE=''
	set_series
}

# need_queue: the base has a queue of patches.
need_queue() {
	[ -n "$QUEUE" ] ||
		die "no queue of patches for Linux $BASE_NAME: the oldest in patches/ is for $(queue_names | head -n 1) (BASE=$(queue_names | paste -sd'|'))"
}

# upstream_line: the line upstream takes patches against, current (the
# newest line the archive serves, as tools/fetch-base last found it, or
# the newest queue): its mail is the one meant for upstream.
upstream_line() {
	cat "$BUILD/current" 2>/dev/null || queue_names | tail -n 1
}

# The base as the caller asked for it.
base_asked() {
	if [ -n "${BASE_TREE:-}" ]; then
		ba=$(tree_line "$BASE_TREE" "${BASE_REF:-HEAD}")
		[ -n "$ba" ] || ba=$(queue_names | tail -n 1)
	elif [ "$BASE" = current ]; then
		ba=$(upstream_line)
	else
		ba=$BASE
	fi
	printf '%s\n' "$ba"
}

# The patch series a tool works on.  kmap, the default, is the cleanup:
# the queue itself, on our branch md-kmap.  A series of its own -- fixes
# are sent apart from cleanups -- lives in QUEUE/NAME/ (a series file,
# the patches, a cover letter); make-tree applies it on the same base as
# branch md-kmap-NAME, and on top of the kmap series as md-kmap+NAME.
# SERIES=NAME points the tools at it (make outgoing SERIES=fixes).  Our
# branches are these; nothing else in the tree's repository is ours.
#
# extra_series_names DIR: the series of their own in DIR (a queue), one
# name a line.
extra_series_names() {
	for es in "$1"/*/series; do
		[ -f "$es" ] || continue
		es=${es%/series}
		printf '%s\n' "${es##*/}"
	done
}
SERIES=${SERIES:-kmap}
case $SERIES in
[!a-z]* | *[!a-z0-9-]*) die "SERIES must be kmap or the name of a directory patches/BASE/NAME, not '$SERIES'" ;;
esac
# set_series: PATCHES and BRANCH of SERIES in QUEUE.  PATCHES set by the
# caller wins (the tests give a changed copy of a series).
set_series() {
	case $SERIES in
	kmap)
		PATCHES=${PATCHES_ASKED:-$QUEUE}
		BRANCH=${MD_KMAP_BRANCH:-md-kmap}
		;;
	*)
		[ -z "$QUEUE" ] || [ -f "$QUEUE/$SERIES/series" ] ||
			die "unknown series '$SERIES' for Linux $BASE_NAME: no ${QUEUE#"$TOP"/}/$SERIES/series (known: kmap$(extra_series_names "$QUEUE" | sed 's/^/ /' | tr -d '\n'))"
		PATCHES=${PATCHES_ASKED:-$QUEUE/$SERIES}
		BRANCH=${MD_KMAP_BRANCH:-md-kmap-$SERIES}
		;;
	esac
}
PATCHES_ASKED=${PATCHES:-}
set_base "$(base_asked)"

say() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

# apt_private update|get|cache ARGS...: apt-get or apt-cache with an apt
# configuration of our own in CACHE/apt, for the suites of Debian's
# archive that the machine's sources do not list (linux-source-7.3 is in
# stable-backports, say).  Its sources are the machine's own mirrors and
# suites (as apt-get indextargets reads them from the machine's
# configuration) plus the suites named by their aliases, which follow
# Debian's releases: on a mirror of security updates stable-security, on
# any other stable, stable-updates, stable-backports, testing, unstable
# and experimental (MD_KMAP_APT_SUITES replaces that list).  Its lists,
# package cache and downloads are ours; the machine's apt configuration
# and state are never changed.  update fetches the lists when they are
# older than MD_KMAP_APT_MAX_AGE minutes (default 720) or the sources
# changed.
apt_private() {
	ap_dir=$CACHE/apt
	ap_cmd=$1
	shift
	set -- -o "Dir::Etc::sourceparts=$ap_dir/sources.list.d" -o Dir::Etc::sourcelist=/dev/null \
		-o "Dir::State::lists=$ap_dir/lists" -o "Dir::Cache=$ap_dir/cache" \
		-o Dir::Etc::preferencesparts=/dev/null -o Dir::Etc::preferences=/dev/null \
		-o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
	case $ap_cmd in
	cache) apt-cache "$@" ;;
	get) apt-get -q "$@" ;;
	update)
		mkdir -p "$ap_dir/sources.list.d" "$ap_dir/lists/partial" "$ap_dir/cache/archives/partial"
		apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Created-By: Packages' |
			sort -u | awk -v extra="${MD_KMAP_APT_SUITES:-}" '
			{ uri[$1] = 1; suites[$1] = suites[$1] " " $2; comps[$1] = comps[$1] " " $3 }
			END {
				for (u in uri) {
					more = extra
					if (more == "")
						more = suites[u] ~ /-security/ ? "stable-security" : \
							"stable stable-updates stable-backports testing unstable experimental"
					n = split(suites[u] " " more, s, " "); list = ""
					for (i = 1; i <= n; i++) if (!seen[u, s[i]]++) list = list " " s[i]
					n = split(comps[u], c, " "); cl = ""
					for (i = 1; i <= n; i++) if (!cseen[u, c[i]]++) cl = cl " " c[i]
					printf "Types: deb\nURIs: %s\nSuites:%s\nComponents:%s\n\n", u, list, cl
				}
			}' >"$ap_dir/sources.list.d/md-kmap.sources.new"
		[ -s "$ap_dir/sources.list.d/md-kmap.sources.new" ] ||
			die "apt-get indextargets found no Debian mirror in this machine's apt sources"
		if cmp -s "$ap_dir/sources.list.d/md-kmap.sources.new" "$ap_dir/sources.list.d/md-kmap.sources" &&
			[ -n "$(find "$ap_dir/lists/.stamp" -mmin "-${MD_KMAP_APT_MAX_AGE:-720}" 2>/dev/null)" ]; then
			rm -f "$ap_dir/sources.list.d/md-kmap.sources.new"
			return 0
		fi
		mv "$ap_dir/sources.list.d/md-kmap.sources.new" "$ap_dir/sources.list.d/md-kmap.sources"
		rm -f "$ap_dir/lists/.stamp"
		apt-get -q "$@" update || return 1
		: >"$ap_dir/lists/.stamp"
		;;
	esac
}

# git with a fixed identity and no user configuration that could change
# what a commit looks like (hooks, signing, autocrlf).
git_fixed() {
	GIT_AUTHOR_NAME=$PROJECT_NAME GIT_AUTHOR_EMAIL=$PROJECT_EMAIL \
	GIT_COMMITTER_NAME=$PROJECT_NAME GIT_COMMITTER_EMAIL=$PROJECT_EMAIL \
	git -c core.autocrlf=false -c core.hooksPath=/dev/null \
		-c commit.gpgSign=false -c i18n.commitEncoding=UTF-8 "$@"
}

# State we keep about the tree lives in its git directory, so that it
# moves and disappears with the tree.
state_dir() {
	git -C "$LINUX" rev-parse --path-format=absolute --git-path md-kmap
}

state_get() {
	d=$(state_dir 2>/dev/null) || return 1
	[ -f "$d/$1" ] && cat "$d/$1"
}

state_put() {
	d=$(state_dir)
	mkdir -p "$d"
	printf '%s\n' "$2" >"$d/$1"
}

# series_files [DIR]: the patch files of the series in DIR (default
# PATCHES), in order, one path a line.
series_files() {
	sf_dir=${1:-$PATCHES}
	[ -f "$sf_dir/series" ] || die "no $sf_dir/series file"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$sf_dir/series" |
	while IFS= read -r p; do
		[ -n "$p" ] || continue
		[ -f "$sf_dir/$p" ] || die "$sf_dir/series names $p, which does not exist"
		printf '%s\n' "$sf_dir/$p"
	done
}

# Threads.  A series goes out as one mail thread per set of maintainers:
# its directory has one cover letter, DIR/cover-letter (every patch, one
# thread), or one for each thread, DIR/cover-letter.NAME, whose header
# names its patches ("Patches: FILE..."), maybe more recipients ("Cc:
# ADDRESS, ..."), and its subject ("Subject: ..."), then a blank line and
# the text.
#
# thread_names [DIR]: the threads, one name a line ("-" for the one of
# DIR/cover-letter); fails when DIR has no cover letter.
thread_names() {
	tn_dir=${1:-$PATCHES}
	if [ -f "$tn_dir/cover-letter" ]; then
		echo -
		return 0
	fi
	# In the order of their first patches in the series.
	for tn in "$tn_dir"/cover-letter.*; do
		[ -f "$tn" ] || continue
		tn_first=$(cover_header "$tn" Patches | cut -d' ' -f1)
		echo "$(grep -nxF "$tn_first" "$tn_dir/series" | cut -d: -f1) ${tn##*/cover-letter.}"
	done | sort -n | cut -d' ' -f2 >"${TMPDIR:-/tmp}/.md-kmap-threads.$$"
	[ -s "${TMPDIR:-/tmp}/.md-kmap-threads.$$" ] || {
		rm -f "${TMPDIR:-/tmp}/.md-kmap-threads.$$"
		die "no cover letter in $tn_dir (cover-letter, or cover-letter.NAME for each thread)"
	}
	cat "${TMPDIR:-/tmp}/.md-kmap-threads.$$"
	rm -f "${TMPDIR:-/tmp}/.md-kmap-threads.$$"
}

# thread_cover NAME [DIR]: the cover letter of thread NAME.
thread_cover() {
	if [ "$1" = - ]; then
		printf '%s/cover-letter\n' "${2:-$PATCHES}"
	else
		printf '%s/cover-letter.%s\n' "${2:-$PATCHES}" "$1"
	fi
}

# cover_header COVER FIELD: a header field of a cover letter.
cover_header() {
	sed -n -e '/^$/q' -e "s/^$2: *//p" "$1"
}

# thread_patches NAME [DIR]: the patch files of thread NAME, in the order
# of the series, one path a line; every patch of the series belongs to
# exactly one thread.
thread_patches() {
	tp_dir=${2:-$PATCHES}
	tp_cover=$(thread_cover "$1" "$tp_dir")
	[ -f "$tp_cover" ] || die "no cover letter $tp_cover"
	[ "$1" != - ] || { series_files "$tp_dir"; return 0; }
	tp_list=$(cover_header "$tp_cover" Patches)
	[ -n "$tp_list" ] || die "$tp_cover names no patches (Patches: FILE...)"
	for tp in $tp_list; do
		series_files "$tp_dir" | grep -qx "$tp_dir/$tp" ||
			die "$tp_cover names $tp, which is not in $tp_dir/series"
	done
	series_files "$tp_dir" | while IFS= read -r tp; do
		tp_in=$(for tn in $(thread_names "$tp_dir"); do
			for tq in $(cover_header "$(thread_cover "$tn" "$tp_dir")" Patches); do
				[ "$tq" != "${tp##*/}" ] || echo "$tn"
			done
		done)
		[ "$(printf '%s\n' "$tp_in" | grep -c .)" -eq 1 ] ||
			die "${tp##*/} must be in exactly one thread's Patches:, it is in: ${tp_in:-none}"
		if printf '%s\n' $tp_list | grep -qx "${tp##*/}"; then
			printf '%s\n' "$tp"
		fi
	done
}

# series_hash [DIR]: one hash over the series file and every patch it
# lists: the identity of the series a tree was made from.
series_hash() {
	{
		cat "${1:-$PATCHES}/series"
		series_files "${1:-}" | while IFS= read -r p; do cat "$p"; done
	} | sha256sum | cut -d' ' -f1
}

# The tree must exist and have been made by tools/make-tree.
need_tree() {
	[ -d "$LINUX" ] && state_get base >/dev/null ||
		die "no kernel tree in $LINUX: run 'make tree' first"
}

base_commit() {
	state_get base
}

# Resolve a revision name (base, series or any commit-ish of the tree).
resolve_rev() {
	case $1 in
	base) base_commit ;;
	series) git -C "$LINUX" rev-parse --verify -q "refs/heads/$BRANCH^{commit}" ;;
	*) git -C "$LINUX" rev-parse --verify -q "$1^{commit}" ;;
	esac
}

# has_subject REV SUBJECT: REV's history since the base (all of it, if
# the base is not an ancestor) has a commit with that subject.
has_subject() {
	hs_range=$1
	! git -C "$LINUX" merge-base --is-ancestor "$(base_commit)" "$1" 2>/dev/null ||
		hs_range="$(base_commit)..$1"
	git -C "$LINUX" log --format=%s "$hs_range" | grep -Fxq -e "$2"
}

# missing_fixes TEST REV: the subjects TEST's front matter names as the
# fix of the bug it reproduces (a FIXED_BY="..." line for each commit the
# fix takes) that REV's history since the base lacks, one a line.
missing_fixes() {
	sed -n 's/^FIXED_BY="\(.*\)"$/\1/p' "$1" | while IFS= read -r mf_subject; do
		has_subject "$2" "$mf_subject" || printf '%s\n' "$mf_subject"
	done
}

# Commits of the series, oldest first.
series_commits() {
	git -C "$LINUX" rev-list --reverse "$(base_commit)..refs/heads/$BRANCH"
}

# Kconfig fragments: configs/NAME, with a header line
#   # md-kmap: arch=ARCH cross=PREFIX base=BASE [until=LINE]
# where BASE is a kernel make target (tinyconfig, defconfig, ...) or the
# name of another fragment that this one is layered on.
config_field() {
	sed -n "s/^# md-kmap:.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" "$CONFIGS/$1" | head -n 1
}

# A fragment the base's kernel no longer takes says until which line it
# applies (until=6.14: HIGHMEM64G left x86 in 6.15); config_fits CONFIG:
# CONFIG applies to the base.
config_fits() {
	cf_until=$(config_inherit "$1" until)
	[ -z "$cf_until" ] ||
		[ "$(printf '%s\n%s\n' "$cf_until" "$BASE_NAME" | sort -V | tail -n 1)" = "$cf_until" ]
}

need_config() {
	[ -f "$CONFIGS/$1" ] && [ -n "$(config_field "$1" base)" ] ||
		die "unknown config '$1'; known: $(config_names)"
	config_fits "$1" ||
		die "config '$1' is for Linux $(config_inherit "$1" until) and older, the base is $BASE_NAME; configs for it: $(config_names)"
}

# config_names: the configs of the base, on one line.
config_names() {
	for f in "$CONFIGS"/*; do
		grep -q '^# md-kmap:.*base=' "$f" && config_fits "${f##*/}" && basename "$f"
	done | paste -sd' '
}

# compile_configs: the configs of the compile check (tests/static/004):
# in make check those whose header does not say compile=check-all (i386
# highmem and gcov: the md objects compile there as under perf and
# debug), in make check-all (MD_KMAP_CHECK_ALL=1) every one;
# MD_KMAP_COMPILE_CONFIGS replaces the list.
compile_configs() {
	if [ -n "${MD_KMAP_COMPILE_CONFIGS:-}" ]; then
		echo "$MD_KMAP_COMPILE_CONFIGS"
		return 0
	fi
	for cc_c in $(config_names); do
		[ -n "${MD_KMAP_CHECK_ALL:-}" ] || [ "$(config_field "$cc_c" compile)" != check-all ] && echo "$cc_c"
	done | paste -sd' '
}

# Walk the base= chain: prints the fragments, innermost first, then the
# kernel target that starts it as "target:NAME".
config_chain() {
	c=$1
	chain=''
	while [ -f "$CONFIGS/$c" ]; do
		chain="$CONFIGS/$c $chain"
		c=$(config_field "$c" base)
	done
	printf 'target:%s %s\n' "$c" "$chain"
}

# config_gcov CONFIG: whether the fragments of CONFIG ask for gcov counters
# (and so for the case instrumentation, CASES_HEADER).
config_gcov() {
	# shellcheck disable=SC2046 # the chain is a list of words
	grep -qx 'CONFIG_GCOV_KERNEL=y' $(config_chain "$1" | cut -d' ' -f2-)
}

# Test only, never part of the series: forced (gcc -include) into the
# objects the series changes on every kernel with gcov counters; it prints
# which cases each map site meets (tools/coverage reads the lines).
# shellcheck disable=SC2034 # used by build-kernel and run-scenario
CASES_HEADER=$TOP/tests/cases/kmap-cases.h

# A field that may be set anywhere along the chain (innermost wins last).
config_inherit() {
	c=$1
	while [ -f "$CONFIGS/$c" ]; do
		v=$(config_field "$c" "$2")
		if [ -n "$v" ]; then
			printf '%s\n' "$v"
			return 0
		fi
		c=$(config_field "$c" base)
	done
	return 0
}

# guest_arch ARCH FIELD: FIELD (qemu, machine, console, config) of the
# guest architecture ARCH in tests/guest/arches; fails for an unknown one.
guest_arch() {
	awk -v a="$1" -v f="$2" '
		/^#/ { next }
		$1 != a { next }
		{ split("arch qemu machine console config", h, " ")
		  for (i = 1; i <= 5; i++) if (h[i] == f) { print $i; found = 1 } }
		END { exit !found }' "$TOP/tests/guest/arches"
}

guest_arch_names() {
	awk '!/^#/ && NF { print $1 }' "$TOP/tests/guest/arches" | paste -sd' '
}

# kernel_image CONFIG REV: where build-kernel puts the image of CONFIG at
# REV (a revision name: series, base, a commit).
kernel_image() {
	case $(config_inherit "$1" arch) in
	i386 | x86_64) ki=bzImage ;;
	*) ki=zImage ;;
	esac
	printf '%s\n' "$BASE_BUILD/kernels/$1-$(rev_name "$2")/$ki"
}

# progress_start SECONDS CMD...: run CMD every SECONDS in the background,
# a progress line for a long step; progress_stop ends it, and it ends by
# itself when the script that started it is gone (died).  The sleep holds
# none of our output open, so a pipe we write to ends with us.
progress_start() {
	pg_every=$1 pg_parent=$$
	shift
	(
		pg_sleep=''
		trap 'kill $pg_sleep 2>/dev/null; exit 0' TERM
		while :; do
			sleep "$pg_every" >/dev/null 2>&1 &
			pg_sleep=$!
			wait "$pg_sleep"
			kill -0 "$pg_parent" 2>/dev/null || exit 0
			"$@" || true
		done
	) &
	progress_pid=$!
}

progress_stop() {
	[ -n "${progress_pid:-}" ] || return 0
	kill "$progress_pid" 2>/dev/null || true
	wait "$progress_pid" 2>/dev/null || true
	progress_pid=''
}

# Every build checks a revision out in BUILD/src/work: one at a time.
# The lock is held until the calling script exits.
lock_src() {
	mkdir -p "$BASE_BUILD/src"
	exec 9>"$BASE_BUILD/src/.lock"
	flock -n 9 && return 0
	say "waiting for another build to leave $BASE_BUILD/src"
	flock 9
}

# existing_dir PATH: PATH, or its nearest parent that exists.  free_kib
# PATH: KiB free for us on the file system that holds it (or will).
# same_fs A B: whether those file systems are one.
existing_dir() {
	ed=$1
	while [ ! -d "$ed" ]; do ed=$(dirname -- "$ed"); done
	printf '%s\n' "$ed"
}
free_kib() {
	df -Pk "$(existing_dir "$1")" | awk 'NR == 2 { print $4 }'
}
same_fs() {
	[ "$(stat -c %d "$(existing_dir "$1")")" = "$(stat -c %d "$(existing_dir "$2")")" ]
}

# kmake SRC OBJ CONFIG ARGS...: make for building a config from SRC into
# OBJ, silent (-s) unless kmake_quiet is set and empty: then kbuild's
# one line a step ("  CC      mm/highmem.o"), for counting progress.
# Compiles go through ccache, in depend mode where that is safe
# (tools/ccache-cc: 96 objects of 7.3 compiled in 73 s instead of 100,
# 65 s with no ccache); the host programs too.
kmake() {
	src=$1 obj=$2 cfg=$3
	shift 3
	arch=$(config_inherit "$cfg" arch)
	cross=$(config_inherit "$cfg" cross)
	cc=${cross}gcc hostcc=gcc
	if command -v ccache >/dev/null 2>&1; then
		export CCACHE_DIR="${CCACHE_DIR:-$CACHE/ccache}"
		export CCACHE_BASEDIR="$BUILD" CCACHE_NOHASHDIR=1
		export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"
		cc="$TOP/tools/ccache-cc $cc" hostcc="$TOP/tools/ccache-cc gcc"
	fi
	KBUILD_BUILD_USER=$PROJECT_NAME KBUILD_BUILD_HOST=md-kmap \
	KBUILD_BUILD_TIMESTAMP='1970-01-01' \
	make ${kmake_quiet--s} -C "$src" O="$obj" ARCH="$arch" CROSS_COMPILE="$cross" \
		CC="$cc" HOSTCC="$hostcc" -j"$(nproc)" "$@"
}

# build_recipe: what of this file decides a kernel build or a compile
# check (the config chain, kmake and its compiler wrapper), for their
# cache keys: an edit elsewhere in lib.sh builds nothing again.
build_recipe() {
	for f in config_field config_fits config_chain config_gcov config_inherit kmake; do
		br=$(sed -n "/^$f() {\$/,/^}\$/p" "$TOP/tools/lib.sh")
		[ -n "$br" ] || die "build_recipe: no function $f in tools/lib.sh"
		printf '%s\n' "$br"
	done
	cat "$TOP/tools/ccache-cc"
}

# rev_name REV: a revision name as it appears in directory names
# (BUILD/obj/CONFIG/NAME, BUILD/kernels/CONFIG-NAME, BUILD/results/...).
rev_name() {
	printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'
}

# scenarios all|extended|quick|known: the md scenarios (tests/md/NNN-*),
# one a line: all but the EXTENDED=1 ones, those, the QUICK=1 ones, or
# every one.
scenarios() {
	(
		cd "$TOP/tests/md" || exit 0
		case $1 in
		all) grep -L '^EXTENDED=1' [0-9]* ;;
		extended) grep -l '^EXTENDED=1' [0-9]* ;;
		quick) grep -l '^QUICK=1' [0-9]* ;;
		known) printf '%s\n' [0-9]* ;;
		esac
	) || true
}

# scenario_job_files: what run-scenario puts on a scenario's job disk
# beside it: the helpers every scenario may source (rc, the crash trigger,
# the cluster stack), then MD_KMAP_JOB_FILES; one list of words.
scenario_job_files() {
	echo "$TOP/tests/md/rc $TOP/tests/md/crash-trigger $TOP/tests/md/cluster ${MD_KMAP_JOB_FILES:-}"
}

# scenario_near KDIR TEST ROOT: one hash over everything that decides a
# run of the scenario file TEST on the kernel in KDIR with the guest image
# ROOT but the kernel's source: its .config, the guest, the scenario, its
# helpers and the runner (a run's "near" key, see run-scenario).
scenario_near() {
	{
		cat "$1/config"
		echo "$3 ${MD_KMAP_VM_CPUS:-} ${MD_KMAP_VM_MEM:-} ${MD_KMAP_ICOUNT:-}"
		# shellcheck disable=SC2046 # a list of files
		cat "$2" $(scenario_job_files) \
			"$TOP/tools/run-scenario" "$TOP/tools/vm-run" "$TOP/tools/dmesg-gate" \
			"$TOP/tools/build-kernel" "$TOP/tools/kernel-config" "$CASES_HEADER"
	} | sha256sum | cut -d' ' -f1
}

# uncounted_boot RESULT: the first boot of the run in RESULT (a directory
# of BUILD/results) whose guest saved no gcov counters (it panicked, or
# hung), or nothing when every boot did.
uncounted_boot() {
	ub_boots=$(find "$1" -maxdepth 1 -name 'serial-*.log' | wc -l)
	for ub_i in $(seq 1 "$ub_boots"); do
		[ -n "$(find "$1/gcov/$ub_i" -name '*.gcda' 2>/dev/null)" ] || {
			echo "$ub_i"
			return 0
		}
	done
}

# parallel N DIR CMD... <IDS: run CMD... ID for every line ID of standard
# input, N at a time (CMD may be a shell function); the output of each in
# DIR/ID.out and DIR/ID.err, then, written at once, "EXIT-CODE SECONDS" in
# DIR/ID.rc.  Returns when all have ended.  The free slots are lines in a
# pipe: a job takes one to start and puts it back when it ends.
parallel() {
	pl_n=$1 pl_dir=$2
	shift 2
	rm -f "$pl_dir/.slots"
	mkfifo "$pl_dir/.slots"
	exec 7<>"$pl_dir/.slots"
	rm -f "$pl_dir/.slots"
	pl_i=0
	while [ "$pl_i" -lt "$pl_n" ]; do
		echo >&7
		pl_i=$((pl_i + 1))
	done
	while read -r pl_id; do
		read -r _ <&7
		(
			pl_start=$(date +%s) pl_rc=0
			"$@" "$pl_id" </dev/null >"$pl_dir/$pl_id.out" 2>"$pl_dir/$pl_id.err" || pl_rc=$?
			echo "$pl_rc $(($(date +%s) - pl_start))" >"$pl_dir/$pl_id.rc.new"
			mv "$pl_dir/$pl_id.rc.new" "$pl_dir/$pl_id.rc"
			echo >&7
		) &
	done
	wait
	exec 7>&-
}

# reuse_keyed KEY OUT NEED DIR...: the first of OUT and the DIRs whose file
# 'key' holds KEY and whose file NEED is there (a kernel image, a result):
# what the same inputs made, under any name.  OUT becomes a copy of it if
# it is another; prints it, or fails if there is none.
reuse_keyed() {
	rk_key=$1 rk_out=$2 rk_need=$3
	shift 3
	for rk_d in "$rk_out" "$@"; do
		[ -s "$rk_d/$rk_need" ] && [ "$(cat "$rk_d/key" 2>/dev/null)" = "$rk_key" ] || continue
		[ "$rk_d" = "$rk_out" ] || copy_dir "$rk_d" "$rk_out"
		printf '%s\n' "$rk_d"
		return 0
	done
	return 1
}

# copy_dir FROM TO: TO becomes a copy of directory FROM (made beside it,
# then moved in place).
copy_dir() {
	rm -rf "$2.new"
	mkdir -p "${2%/*}"
	cp -a "$1" "$2.new"
	rm -rf "$2"
	mv "$2.new" "$2"
}

# diff_hunks <DIFF: the hunks of a unified diff on standard input, one a
# line: "OLD_START OLD_COUNT NEW_START NEW_COUNT" (a count the header
# leaves out is 1).
diff_hunks() {
	sed -n 's/^@@ -\([0-9]*\)\(,\([0-9]*\)\)\{0,1\} +\([0-9]*\)\(,\([0-9]*\)\)\{0,1\} .*/\1:\3:\4:\6/p' |
		awk -F: '{ print $1, ($2 == "" ? 1 : $2), $3, ($4 == "" ? 1 : $4) }'
}

# The files whose map sites the proof must reach, as far as the base has
# them: those the series changes, and those mainline converted on its own
# (md-bitmap.c and raid5-cache.c in 6.14; md-llbitmap.c is new in 6.18).
# The gcov kernels count them, the case instrumentation goes into them,
# and tools/coverage finds their sites.
PROOF_FILES='drivers/md/md-bitmap.c drivers/md/raid5-cache.c drivers/md/md-llbitmap.c crypto/async_tx/async_memcpy.c'

# proof_sources: those of PROOF_FILES the base has, one a line.
proof_sources() {
	for ps_f in $PROOF_FILES; do
		git -C "$LINUX" cat-file -e "$(base_commit):$ps_f" 2>/dev/null && printf '%s\n' "$ps_f"
	done
	return 0
}

# The C files the series changes (paths in the tree), one a line.
series_sources() {
	git -C "$LINUX" diff --name-only "$(base_commit)" "refs/heads/$BRANCH" -- '*.c'
}

# Lines using kmap_atomic()/kunmap_atomic() where the series works, at REV.
count_kmap_atomic() {
	git -C "$LINUX" grep -h -c -w -e kmap_atomic -e kunmap_atomic "$1" -- \
		drivers/md crypto/async_tx | awk '{ n += $1 } END { print n + 0 }'
}

# checkpatch_total FILE [OPTION...]: checkpatch.pl --strict of the tree on
# one patch file: its total line,
# "total: E errors, W warnings, C checks, N lines checked".
checkpatch_total() {
	ct_file=$1
	shift
	# checkpatch runs in the tree: a relative FILE is from here.
	case $ct_file in /*) ;; *) ct_file=$PWD/$ct_file ;; esac
	(cd "$LINUX" && perl scripts/checkpatch.pl --strict --no-color "$@" "$ct_file" 2>&1) |
		sed -n 's/^\(total: .*\)$/\1/p'
}

# The subject of a format-patch mail, unfolded, without "[PATCH ...]".
patch_subject() {
	git mailinfo "${TMPDIR:-/tmp}/.md-kmap-msg.$$" "${TMPDIR:-/tmp}/.md-kmap-patch.$$" <"$1" |
		sed -n 's/^Subject: //p'
	rm -f "${TMPDIR:-/tmp}/.md-kmap-msg.$$" "${TMPDIR:-/tmp}/.md-kmap-patch.$$"
}

# JSON is written with jq -n --arg and read with jq -r, never with printf
# or sed: a reason or a subject may hold any character.

# write_result OUT NAME KERNEL CONFIG RESULT SECONDS REASON [TODO]:
# OUT/result.json of one run (run-scenario's; summary.json's "scenarios"
# entries), with the base, the config's architecture, HighTotal from the
# first guest's boot line in OUT/serial-*.log, and "todo" when the run is
# a known failure of this kernel (why); prints the line run-scenario
# prints, "RESULT SECONDS HIGH_TOTAL_KB REASON".
write_result() {
	wr_high=$(sed -n 's/^MDKMAP-BOOT .*high_total_kb=\([0-9]*\).*/\1/p' "$1"/serial-*.log 2>/dev/null | head -n 1)
	jq -n --arg name "$2" --arg kernel "$3" --arg config "$4" --arg result "$5" \
		--argjson seconds "$6" --argjson high "${wr_high:-0}" --arg reason "$7" \
		--arg todo "${8:-}" --arg base "$BASE_NAME" --arg arch "$(config_inherit "$4" arch)" \
		'{name: $name, base: $base, arch: $arch, kernel: $kernel, config: $config, result: $result,
		  seconds: $seconds, high_total_kb: $high, reason: $reason}
		 + (if $todo != "" then {todo: $todo} else {} end)' >"$1/result.json.new"
	mv "$1/result.json.new" "$1/result.json"
	result_line "$1/result.json"
}

# result_line FILE: "RESULT SECONDS HIGH_TOTAL_KB REASON" of a result.json,
# on one line.
result_line() {
	jq -r '"\(.result) \(.seconds) \(.high_total_kb) \(.reason | gsub("\n"; " "))"' "$1"
}

# result_set FILE KEY VALUE: a string field of a result.json changed.
result_set() {
	jq --arg k "$2" --arg v "$3" '.[$k] = $v' "$1" >"$1.new"
	mv "$1.new" "$1"
}
