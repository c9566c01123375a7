/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * md-kmap, test only: which cases each map site of the series meets.
 * Never part of the series.  tools/build-kernel force-includes this file
 * (gcc -include) into the objects the series changes, and only on a
 * kernel with gcov counters; no file of the kernel tree is edited, so the
 * sites keep their line numbers (tools/coverage, tools/unaffected) and no
 * other object is compiled again.
 *
 * Each kmap_local_page(), memset_page() and memcpy_page() call written in
 * the compiled .c file itself prints one kernel line the first time a
 * case occurs at that call in this boot:
 *
 *   md-kmap-case: FILE:LINE FUNCTION HELPER CASE (VALUES)
 *
 * CASE has, for each page, ROLE=low|high (PageHighMem()), with "+0" or
 * "+off" for the offset into it where the helper takes one; "len=page" or
 * "len=part"; for memcpy_page() "offsets=equal|unequal".  VALUES are the
 * first call's offsets and length.  A line a case, not a count: the
 * question is which cases ran, and a boot prints a few dozen lines.
 */
#ifndef MD_KMAP_CASES_H
#define MD_KMAP_CASES_H

#include <linux/highmem.h>
#include <linux/bitops.h>
#include <linux/printk.h>

/* Calls in the .c file, not in the inline functions of its headers. */
#define md_kmap_case_here()	(__builtin_strcmp(__FILE__, __BASE_FILE__) == 0)
#define md_kmap_str_mem(p)	(PageHighMem(p) ? "high" : "low")
#define md_kmap_str_off(o)	((o) ? "+off" : "+0")
#define md_kmap_str_len(l)	((l) == PAGE_SIZE ? "page" : "part")

/* md_kmap_case(HELPER, CASE_NUMBER, FORMAT, ARGS...): print once a boot. */
#define md_kmap_case(helper, nr, fmt, ...)				\
do {									\
	static DECLARE_BITMAP(md_kmap_seen, 64);			\
									\
	if (md_kmap_case_here() &&					\
	    !test_and_set_bit((nr), md_kmap_seen))			\
		pr_info("md-kmap-case: %s:%d %s " helper " " fmt "\n",	\
			__FILE__, __LINE__, __func__, ##__VA_ARGS__);	\
} while (0)

/*
 * The helpers, as macros of the same name: inside its own replacement a
 * macro's name is not expanded again, so each calls the real function.
 */
#define kmap_local_page(p)						\
({									\
	struct page *md_kmap_p = (p);					\
									\
	md_kmap_case("kmap_local_page", !!PageHighMem(md_kmap_p),	\
		     "page=%s", md_kmap_str_mem(md_kmap_p));		\
	kmap_local_page(md_kmap_p);					\
})

#define memset_page(p, off, val, len)					\
do {									\
	struct page *md_kmap_p = (p);					\
	size_t md_kmap_off = (off), md_kmap_len = (len);		\
									\
	md_kmap_case("memset_page",					\
		     !!PageHighMem(md_kmap_p) | !!md_kmap_off << 1 |	\
		     (md_kmap_len != PAGE_SIZE) << 2,			\
		     "page=%s%s len=%s (offset %zu, length %zu)",	\
		     md_kmap_str_mem(md_kmap_p), md_kmap_str_off(md_kmap_off),	\
		     md_kmap_str_len(md_kmap_len), md_kmap_off, md_kmap_len); \
	memset_page(md_kmap_p, md_kmap_off, (val), md_kmap_len);	\
} while (0)

#define memcpy_page(d, doff, s, soff, len)				\
do {									\
	struct page *md_kmap_d = (d), *md_kmap_s = (s);			\
	size_t md_kmap_do = (doff), md_kmap_so = (soff);		\
	size_t md_kmap_len = (len);					\
									\
	md_kmap_case("memcpy_page",					\
		     !!PageHighMem(md_kmap_d) | !!md_kmap_do << 1 |	\
		     !!PageHighMem(md_kmap_s) << 2 | !!md_kmap_so << 3 |	\
		     (md_kmap_len != PAGE_SIZE) << 4 |			\
		     (md_kmap_do != md_kmap_so) << 5,			\
		     "dst=%s%s src=%s%s len=%s offsets=%s"		\
		     " (dst_off %zu, src_off %zu, length %zu)",		\
		     md_kmap_str_mem(md_kmap_d), md_kmap_str_off(md_kmap_do),	\
		     md_kmap_str_mem(md_kmap_s), md_kmap_str_off(md_kmap_so),	\
		     md_kmap_str_len(md_kmap_len),				\
		     md_kmap_do == md_kmap_so ? "equal" : "unequal",	\
		     md_kmap_do, md_kmap_so, md_kmap_len);		\
	memcpy_page(md_kmap_d, md_kmap_do, md_kmap_s, md_kmap_so,	\
		    md_kmap_len);					\
} while (0)

#endif /* MD_KMAP_CASES_H */
