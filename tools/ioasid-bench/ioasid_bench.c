// SPDX-License-Identifier: GPL-2.0
/*
 * ioasid_bench: the cost of an IOASID alloc+free pair beside the kernel's
 * own allocators and hierarchical counter, lookups at scale, and the whole
 * ID space. Runs at load, in the loading task's context (so the charged
 * rows are charged to the cgroup insmod runs in), prints one JSON object
 * per line and fails the load so that it can be loaded again.
 *
 * Built out of tree by tools/ioasid-bench/run.sh against two kernels of
 * the same configuration: this project's (IOASID_MAX_CAPACITY is defined)
 * and pristine 6.1 (its ioasid_alloc()/ioasid_free()). Every row is the
 * median of BENCH_RUNS runs of BENCH_PAIRS pairs; compare rows of one boot.
 */
#define pr_fmt(fmt) "ioasid_bench: " fmt

#include <linux/idr.h>
#include <linux/ioasid.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/page_counter.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include <linux/xarray.h>

#define BENCH_PAIRS	100000
#define BENCH_RUNS	7
#define BENCH_LOOKUPS	1000000
#define BENCH_SPACE	BIT(20)

static unsigned int depth = 1;
module_param(depth, uint, 0444);
MODULE_PARM_DESC(depth, "cgroup depth insmod runs at; also the page_counter chain length");

static bool scale;
module_param(scale, bool, 0444);
MODULE_PARM_DESC(scale, "also run the lookup-at-scale and whole-space rows");

#ifdef IOASID_MAX_CAPACITY
#define KERNEL_NAME "patched"
#else
#define KERNEL_NAME "pristine"
#endif

/* Nanoseconds per op, times 10, of the median run */
static u64 median(u64 *v, int n)
{
	int i, j;
	u64 t;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static void report(const char *row, unsigned int d, u64 dns)
{
	pr_info("{\"kernel\":\"%s\",\"row\":\"%s\",\"depth\":%u,\"ns\":%llu.%llu}\n",
		KERNEL_NAME, row, d, dns / 10, dns % 10);
}

/*
 * Slab in use (ioasid_data, SPID and set entries, xarray nodes), after the
 * frees still waiting for RCU. The per-CPU counter deltas not yet folded
 * make it exact to a few hundred pages: meaningful from 1e5 IDs up.
 */
static long slab_bytes(void)
{
	rcu_barrier();
	return (global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B) +
		global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B)) * PAGE_SIZE;
}

static void report_bytes(unsigned int n, long slab0)
{
	if (n >= 100000)
		pr_info("{\"kernel\":\"%s\",\"row\":\"bytes_per_id\",\"live\":%u,\"bytes\":%ld}\n",
			KERNEL_NAME, n, (slab_bytes() - slab0) / n);
}

/* A pair function returns 0 or a negative errno */
typedef int (*pair_fn)(void *ctx);

struct pair_row {
	const char *name;
	pair_fn fn;
	void *ctx;
	u64 dns[BENCH_RUNS];
};

/*
 * BENCH_PAIRS pairs of every row in turn, BENCH_RUNS rounds, then the
 * median of each: whatever drifts during the run weighs on every row alike.
 */
static int run_rows(struct pair_row *rows, int nrows)
{
	int r, k, i, ret;
	u64 t0;

	for (r = 0; r < BENCH_RUNS; r++) {
		for (k = 0; k < nrows; k++) {
			t0 = ktime_get_ns();
			for (i = 0; i < BENCH_PAIRS; i++) {
				ret = rows[k].fn(rows[k].ctx);
				if (ret) {
					pr_err("%s: pair %d: %d\n", rows[k].name, i, ret);
					return ret;
				}
			}
			rows[k].dns[r] = div_u64((ktime_get_ns() - t0) * 10, BENCH_PAIRS);
			cond_resched();
		}
	}
	for (k = 0; k < nrows; k++)
		report(rows[k].name, depth, median(rows[k].dns, BENCH_RUNS));
	return 0;
}

static int xa_pair(void *ctx)
{
	struct xarray *xa = ctx;
	u32 id;
	int ret = xa_alloc(xa, &id, xa, XA_LIMIT(1, BENCH_SPACE - 1), GFP_KERNEL);

	if (!ret)
		xa_erase(xa, id);
	return ret;
}

static int ida_pair(void *ctx)
{
	int id = ida_alloc_range(ctx, 1, BENCH_SPACE - 1, GFP_KERNEL);

	if (id < 0)
		return id;
	ida_free(ctx, id);
	return 0;
}

/* ctx: the leaf of a chain of depth page counters */
static int pc_pair(void *ctx)
{
	struct page_counter *fail;

	if (!page_counter_try_charge(ctx, 1, &fail))
		return -EDQUOT;
	page_counter_uncharge(ctx, 1);
	return 0;
}

static struct page_counter *pc_chain(unsigned int d)
{
	struct page_counter *c = kcalloc(d, sizeof(*c), GFP_KERNEL);
	unsigned int i;

	for (i = 0; c && i < d; i++)
		page_counter_init(&c[i], i ? &c[i - 1] : NULL);
	return c;
}

/* Lookups: the live IDs, and the set they are in */
struct lookup_ctx {
	void *set;
	ioasid_t *ids;
};

/* A lookup of key k, the k-th ID allocated; false if it was not found */
typedef bool (*find_fn)(struct lookup_ctx *lc, u32 k);

/*
 * Nanoseconds times 10 per lookup of BENCH_LOOKUPS keys in [0, n): in
 * xorshift order, which defeats the caches as n grows, or in allocation
 * order, which shows the cost of the walk itself.
 */
static int time_lookups(struct lookup_ctx *lc, unsigned int n, find_fn fn, bool random,
			u64 *dns)
{
	u32 x = 2463534242U;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < BENCH_LOOKUPS; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		if (!fn(lc, random ? x % n : i % n))
			return -ENOENT;
	}
	*dns = div_u64((ktime_get_ns() - t0) * 10, BENCH_LOOKUPS);
	return 0;
}

/* ioasid_find() has the same signature before and after this series */
static bool find_id(struct lookup_ctx *lc, u32 k)
{
	return !IS_ERR_OR_NULL(ioasid_find(lc->set, lc->ids[k], NULL));
}

#ifdef IOASID_MAX_CAPACITY	/* this project's IOASID core */

static int ioasid_pair(void *ctx)
{
	ioasid_t id;
	int ret = ioasid_alloc(ctx, 1, BENCH_SPACE - 1, NULL, &id);

	if (!ret)
		ret = ioasid_free(ctx, id);
	return ret;
}

static bool find_spid(struct lookup_ctx *lc, u32 k)
{
	return ioasid_find_by_spid(lc->set, k + 1) == lc->ids[k];
}

/* find by ID and by SPID (the k-th ID has SPID k + 1) among n live IDs */
static int bench_lookup(unsigned int n)
{
	struct ioasid_set *set;
	long slab0 = slab_bytes();
	ioasid_t *ids = vmalloc(array_size(n, sizeof(*ids)));
	struct lookup_ctx lc = { .ids = ids };
	u64 dns_id, dns_spid, dns_seq;
	unsigned int i, got = 0;
	int ret = -ENOMEM;

	if (!ids)
		return ret;
	set = ioasid_set_alloc(ids, n, IOASID_SET_TYPE_NULL, 0);
	if (IS_ERR(set)) {
		ret = PTR_ERR(set);
		goto out_free;
	}
	for (; got < n; got++) {
		ret = ioasid_alloc(set, 1, BENCH_SPACE - 1, ids, &ids[got]);
		if (!ret)
			ret = ioasid_attach_spid(set, ids[got], got + 1);
		if (ret)
			goto out_set;
	}
	report_bytes(n, slab0);

	lc.set = set;
	ret = time_lookups(&lc, n, find_id, true, &dns_id) ?:
	      time_lookups(&lc, n, find_spid, true, &dns_spid) ?:
	      time_lookups(&lc, n, find_id, false, &dns_seq);
	if (ret)
		goto out_set;
	pr_info("{\"kernel\":\"%s\",\"row\":\"lookup\",\"live\":%u,\"id_ns\":%llu.%llu,\"spid_ns\":%llu.%llu,\"id_seq_ns\":%llu.%llu}\n",
		KERNEL_NAME, n, dns_id / 10, dns_id % 10, dns_spid / 10, dns_spid % 10,
		dns_seq / 10, dns_seq % 10);
	ret = 0;
out_set:
	for (i = 0; i < got; i++)
		ioasid_free(set, ids[i]);
	ioasid_set_free(set);
out_free:
	vfree(ids);
	return ret;
}

/* Take every ID the system has in one set, then free them */
static int bench_space(const char *row, void *token, enum ioasid_set_type type, bool peak_ok)
{
	ioasid_t *ids = vmalloc(array_size(BENCH_SPACE, sizeof(*ids)));
	long slab0 = slab_bytes(), peak;
	struct ioasid_set *set;
	unsigned int n = 0, i;
	u64 t0, t1, t2;
	int ret;

	if (!ids)
		return -ENOMEM;
	set = ioasid_set_alloc(token, BENCH_SPACE, type,
			       type == IOASID_SET_TYPE_NULL ? 0 : IOASID_SET_CHARGED);
	if (IS_ERR(set)) {
		vfree(ids);
		return PTR_ERR(set);
	}
	t0 = ktime_get_ns();
	while (n < BENCH_SPACE && !ioasid_alloc(set, 0, BENCH_SPACE - 1, NULL, &ids[n]))
		n++;
	t1 = ktime_get_ns();
	peak = peak_ok ? slab_bytes() - slab0 : -1;
	for (i = 0; i < n; i++)
		ioasid_free(set, ids[i]);
	t2 = ktime_get_ns();
	pr_info("{\"kernel\":\"%s\",\"row\":\"%s\",\"ids\":%u,\"alloc_ms\":%llu,\"free_ms\":%llu,\"peak_bytes\":%ld}\n",
		KERNEL_NAME, row, n, div_u64(t1 - t0, NSEC_PER_MSEC),
		div_u64(t2 - t1, NSEC_PER_MSEC), peak);
	ret = n == ioasid_get_capacity() ? 0 : -ENOSPC;
	ioasid_set_free(set);
	vfree(ids);
	return ret;
}

static int bench_ioasid(struct pair_row *rows, int nrows)
{
	struct ioasid_set *kset, *mset;
	int ret;

	kset = ioasid_set_alloc(&kset, BENCH_SPACE, IOASID_SET_TYPE_NULL, 0);
	if (IS_ERR(kset))
		return PTR_ERR(kset);
	/* The SVA library's kind of set: the mm's, charged to insmod's cgroup */
	mset = ioasid_set_alloc(current->mm, BENCH_SPACE, IOASID_SET_TYPE_MM,
				IOASID_SET_CHARGED);
	if (IS_ERR(mset)) {
		ioasid_set_free(kset);
		return PTR_ERR(mset);
	}
	rows[nrows++] = (struct pair_row){ "ioasid_uncharged", ioasid_pair, kset };
	rows[nrows++] = (struct pair_row){ "ioasid_charged", ioasid_pair, mset };
	ret = run_rows(rows, nrows);
	ioasid_set_free(kset);
	ioasid_set_free(mset);
	if (ret || !scale)
		return ret;

	/*
	 * The whole space first: the slab pages a million freed IDs leave
	 * behind would hide the growth of a later run (and of the second
	 * whole-space run, whose peak is not reported)
	 */
	ret = bench_space("space_charged", current->mm, IOASID_SET_TYPE_MM, true) ?:
	      bench_space("space_uncharged", &kset, IOASID_SET_TYPE_NULL, false);
	if (ret)
		return ret;
	return bench_lookup(1000) ?: bench_lookup(100000) ?: bench_lookup(1000000);
}

#else	/* pristine 6.1 */

static DECLARE_IOASID_SET(bench_set);

static int ioasid_pair(void *ctx)
{
	ioasid_t id = ioasid_alloc(&bench_set, 1, BENCH_SPACE - 1, ctx);

	if (id == INVALID_IOASID)
		return -ENOSPC;
	ioasid_free(id);
	return 0;
}

static int bench_lookup(unsigned int n)
{
	long slab0 = slab_bytes();
	ioasid_t *ids = vmalloc(array_size(n, sizeof(*ids)));
	struct lookup_ctx lc = { .set = &bench_set, .ids = ids };
	unsigned int i, got;
	int ret = 0;
	u64 dns, dns_seq;

	if (!ids)
		return -ENOMEM;
	for (got = 0; got < n; got++) {
		ids[got] = ioasid_alloc(&bench_set, 1, BENCH_SPACE - 1, ids);
		if (ids[got] == INVALID_IOASID) {
			ret = -ENOSPC;
			goto out;
		}
	}
	report_bytes(n, slab0);
	ret = time_lookups(&lc, n, find_id, true, &dns) ?:
	      time_lookups(&lc, n, find_id, false, &dns_seq);
	if (ret)
		goto out;
	pr_info("{\"kernel\":\"%s\",\"row\":\"lookup\",\"live\":%u,\"id_ns\":%llu.%llu,\"id_seq_ns\":%llu.%llu}\n",
		KERNEL_NAME, n, dns / 10, dns % 10, dns_seq / 10, dns_seq % 10);
out:
	for (i = 0; i < got; i++)
		ioasid_free(ids[i]);
	vfree(ids);
	return ret;
}

static int bench_ioasid(struct pair_row *rows, int nrows)
{
	int ret;

	rows[nrows++] = (struct pair_row){ "ioasid_uncharged", ioasid_pair, &bench_set };
	ret = run_rows(rows, nrows);
	if (ret || !scale)
		return ret;
	return bench_lookup(1000) ?: bench_lookup(100000) ?: bench_lookup(1000000);
}

#endif

static int __init ioasid_bench_init(void)
{
	static struct pair_row rows[5];
	DEFINE_XARRAY_ALLOC(xa);
	struct page_counter *pc;
	DEFINE_IDA(ida);
	int ret;

	if (!depth || depth > 64)
		return -EINVAL;
	pc = pc_chain(depth);
	if (!pc)
		return -ENOMEM;
	rows[0] = (struct pair_row){ "xa_alloc", xa_pair, &xa };
	rows[1] = (struct pair_row){ "ida_alloc", ida_pair, &ida };
	rows[2] = (struct pair_row){ "page_counter", pc_pair, &pc[depth - 1] };
	ret = bench_ioasid(rows, 3);
	kfree(pc);
	xa_destroy(&xa);
	ida_destroy(&ida);
	pr_info("{\"kernel\":\"%s\",\"row\":\"done\",\"depth\":%u,\"status\":%d}\n",
		KERNEL_NAME, depth, ret);
	/* Nothing to keep loaded: fail the load so the next run can load it */
	return -EAGAIN;
}
module_init(ioasid_bench_init);

MODULE_DESCRIPTION("IOASID allocation and lookup benchmark");
MODULE_LICENSE("GPL");
