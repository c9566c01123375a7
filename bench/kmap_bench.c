// SPDX-License-Identifier: GPL-2.0-only
/*
 * kmap_bench: time kmap_atomic() against kmap_local_page().
 *
 * md-kmap's microbenchmark.  Loading the module times map/unmap pairs of a
 * lowmem page and of a highmem page with each API, and a 4 KiB copy from a
 * highmem page to a lowmem page the way async_memcpy() did it before the
 * series (two kmap_atomic() mappings around a memcpy()) against
 * memcpy_page(), which it does now.  The variants are interleaved finely:
 * a repetition times each in turn for a chunk of pairs, over and over
 * (starting one further along the list each time) until each has done
 * its pairs, so that a busy stretch of the host falls on all of them
 * alike.  Each repetition prints one line per variant,
 *
 *   MDKMAP-BENCH micro rep=R variant=NAME pairs=N chunk=K ns=T cycles=C
 *   med_ns=M med_cycles=MC
 *
 * (on one line): the total time of its N pairs, and the median time of
 * one chunk of K pairs, which a few chunks the host interrupted do not
 * move (cycles are 0 where get_cycles() has no counter).  tools/bench
 * turns these into ratios.  The module then stays loaded, doing nothing,
 * until it is removed.
 *
 * The kmap_atomic() calls are the point of this module: checkpatch's
 * deprecated-API warning on them is expected.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timex.h>

static unsigned int pairs = 20000;
module_param(pairs, uint, 0444);
MODULE_PARM_DESC(pairs, "map/unmap pairs or copies per variant and repetition (a multiple of chunk)");

static unsigned int chunk = 500;
module_param(chunk, uint, 0444);
MODULE_PARM_DESC(chunk, "pairs timed at a time before the next variant's turn");

/* Chunks in one repetition at the most: 2 * 6 * 4096 samples, 384 KiB. */
#define MAX_CHUNKS	4096

static unsigned int reps = 7;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "repetitions of the whole set of variants");

struct bench_pages {
	struct page *low;
	struct page *high;
};

struct bench_variant {
	const char *name;
	unsigned long (*run)(const struct bench_pages *bp, unsigned int n);
};

/* What the loops read, kept so that no read can be left out. */
static unsigned long bench_sink;

static inline void *map_atomic(struct page *page)
{
	return kmap_atomic(page);
}

static inline void unmap_atomic(void *addr)
{
	kunmap_atomic(addr);
}

/*
 * pairs_atomic() and pairs_local() are the same loop on purpose, each with
 * its API called directly: sharing one loop through a function pointer
 * would add an indirect call to every pair timed.
 */
static unsigned long pairs_atomic(struct page *page, unsigned int n)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned long *p = map_atomic(page);

		sum += READ_ONCE(*p);
		unmap_atomic(p);
	}
	return sum;
}

static unsigned long pairs_local(struct page *page, unsigned int n)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned long *p = kmap_local_page(page);

		sum += READ_ONCE(*p);
		kunmap_local(p);
	}
	return sum;
}

static unsigned long atomic_low(const struct bench_pages *bp, unsigned int n)
{
	return pairs_atomic(bp->low, n);
}

static unsigned long local_low(const struct bench_pages *bp, unsigned int n)
{
	return pairs_local(bp->low, n);
}

static unsigned long atomic_high(const struct bench_pages *bp, unsigned int n)
{
	return pairs_atomic(bp->high, n);
}

static unsigned long local_high(const struct bench_pages *bp, unsigned int n)
{
	return pairs_local(bp->high, n);
}

/* async_memcpy()'s synchronous path before the series. */
static unsigned long copy_atomic(const struct bench_pages *bp, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *dst = map_atomic(bp->low);
		void *src = map_atomic(bp->high);

		memcpy(dst, src, PAGE_SIZE);
		unmap_atomic(src);
		unmap_atomic(dst);
	}
	return 0;
}

static unsigned long copy_local(const struct bench_pages *bp, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		memcpy_page(bp->low, 0, bp->high, 0, PAGE_SIZE);
	return 0;
}

static const struct bench_variant variants[] = {
	{ "map-atomic-low", atomic_low },
	{ "map-local-low", local_low },
	{ "map-atomic-high", atomic_high },
	{ "map-local-high", local_high },
	{ "copy-atomic", copy_atomic },
	{ "copy-local", copy_local },
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *a, unsigned int n)
{
	sort(a, n, sizeof(*a), cmp_u64, NULL);
	return n % 2 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
}

/*
 * One repetition; samples holds the time of every chunk of every variant,
 * ns in the first nv rows of nchunks, cycles in the next nv.
 */
static void bench_rep(const struct bench_pages *bp, unsigned int rep, u64 *samples)
{
	unsigned int nv = ARRAY_SIZE(variants), nchunks = pairs / chunk;
	u64 *ns = samples, *cycles = samples + nv * nchunks;
	unsigned int c, i, v;

	for (c = 0; c < nchunks; c++) {
		for (i = 0; i < nv; i++) {
			cycles_t c0, c1;
			u64 t0, t1;

			v = (rep + c + i) % nv;
			t0 = ktime_get_ns();
			c0 = get_cycles();
			bench_sink += variants[v].run(bp, chunk);
			c1 = get_cycles();
			t1 = ktime_get_ns();
			ns[v * nchunks + c] = t1 - t0;
			cycles[v * nchunks + c] = c1 - c0;
		}
		cond_resched();
	}
	for (v = 0; v < nv; v++) {
		u64 *vns = ns + v * nchunks, *vcycles = cycles + v * nchunks;
		u64 tns = 0, tcycles = 0;

		for (c = 0; c < nchunks; c++) {
			tns += vns[c];
			tcycles += vcycles[c];
		}
		pr_info("MDKMAP-BENCH micro rep=%u variant=%s pairs=%u chunk=%u ns=%llu cycles=%llu med_ns=%llu med_cycles=%llu\n",
			rep, variants[v].name, pairs, chunk, tns, tcycles,
			median(vns, nchunks), median(vcycles, nchunks));
	}
}

static int __init kmap_bench_init(void)
{
	struct bench_pages bp;
	unsigned int nv = ARRAY_SIZE(variants);
	unsigned int r, i;
	u64 *samples;
	int ret = 0;

	if (!reps || !chunk || !pairs || pairs % chunk || pairs / chunk > MAX_CHUNKS) {
		pr_err("reps and chunk must be at least 1, pairs a multiple of chunk up to %u chunks\n",
		       MAX_CHUNKS);
		return -EINVAL;
	}
	samples = kcalloc(2 * nv * (pairs / chunk), sizeof(*samples), GFP_KERNEL);
	bp.low = alloc_page(GFP_KERNEL | __GFP_ZERO);
	bp.high = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	if (!samples || !bp.low || !bp.high) {
		ret = -ENOMEM;
		goto out;
	}
	if (PageHighMem(bp.low) || !PageHighMem(bp.high)) {
		pr_err("no highmem page: this needs a CONFIG_HIGHMEM kernel with memory above lowmem\n");
		ret = -ENODEV;
		goto out;
	}

	pr_info("MDKMAP-BENCH micro start pairs=%u chunk=%u reps=%u variants=%u force_map=%d\n",
		pairs, chunk, reps, nv, IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP));
	/* Warm up caches and the fixmap page tables, untimed. */
	for (i = 0; i < nv; i++)
		bench_sink += variants[i].run(&bp, 64);
	for (r = 0; r < reps; r++)
		bench_rep(&bp, r, samples);
	pr_info("MDKMAP-BENCH micro done reps=%u sink=%lu\n", reps, bench_sink);
out:
	if (bp.high)
		__free_page(bp.high);
	if (bp.low)
		__free_page(bp.low);
	kfree(samples);
	return ret;
}

static void __exit kmap_bench_exit(void)
{
}

module_init(kmap_bench_init);
module_exit(kmap_bench_exit);

MODULE_DESCRIPTION("Time kmap_atomic() against kmap_local_page() and memcpy_page()");
MODULE_LICENSE("GPL");
