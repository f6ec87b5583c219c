// SPDX-License-Identifier: GPL-2.0
/*
 * ioasid_bench: the native rows of "make bench", run once at boot in UML,
 * where kernel code runs on the host CPU. tools/ioasid-bench/native.sh
 * builds it into a scratch copy of a 6.1 tree (lib/, CONFIG_IOASID_BENCH)
 * and boots the result; every row prints one JSON object, then the kernel
 * powers off. No userspace is needed.
 *
 * In this project's kernel (IOASID_MAX_CAPACITY is defined) the rows are
 * this core's, and 6.1's own allocator beside them: native.sh compiles
 * pristine 6.1's drivers/iommu/ioasid.c into the same kernel with its
 * symbols renamed v61_*, so the two are compared in one boot. In pristine
 * 6.1 the same 6.1 rows run against the kernel's own allocator, which
 * shows what the renamed copy costs in its own kernel.
 *
 * The charged rows run with the booting task (PID 1, before it execs) in
 * cgroups made here, at depth 1, 4 and 16 of an in-kernel cgroup2 mount.
 * Each timed row is run once per round, rows in turn, rounds repeated:
 * whatever drifts during the boot weighs on every row alike. Every row
 * reports the median and the spread (min, max) of its rounds.
 */
#define pr_fmt(fmt) "ioasid_bench: " fmt

#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/init.h>
#include <linux/init_syscalls.h>
#include <linux/ioasid.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/page_counter.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include <linux/xarray.h>

#ifdef IOASID_MAX_CAPACITY		/* this project's core */
#include "ioasid61.h"
#define PATCHED		1
#define KERNEL_NAME	"patched"
#define V61(sym)	v61_##sym
#define V61_INVALID	V61_INVALID_IOASID
#else					/* pristine 6.1 */
#define PATCHED		0
#define KERNEL_NAME	"pristine"
#define V61(sym)	sym
#define V61_INVALID	INVALID_IOASID
#endif

#define BENCH_ROUNDS_MAX	31
#define BENCH_SPACE		BIT(20)
#define BENCH_FREE_SET		100000

static unsigned int rounds = 21;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds of every timed row (at most 31)");

static unsigned int pairs = 100000;
module_param(pairs, uint, 0444);
MODULE_PARM_DESC(pairs, "alloc+free pairs per row and round");

static unsigned int lookups = 300000;
module_param(lookups, uint, 0444);
MODULE_PARM_DESC(lookups, "lookups per row and round");

static unsigned int max_live = 1000000;
module_param(max_live, uint, 0444);
MODULE_PARM_DESC(max_live, "largest number of live IDs of the lookup rows");

static char *only;
module_param(only, charp, 0444);
MODULE_PARM_DESC(only, "run this alloc+free row alone, for a profile");

static const unsigned int depths[] = { 1, 4, 16 };

/* A row's rounds: median and spread, in the row's unit */
struct spread {
	u64 med, min, max;
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

static struct spread spread_of(const u64 *v, int n)
{
	u64 s[BENCH_ROUNDS_MAX];

	memcpy(s, v, n * sizeof(*s));
	sort(s, n, sizeof(*s), cmp_u64, NULL);
	return (struct spread){ s[n / 2], s[0], s[n - 1] };
}

/* Tenths of a nanosecond, printed with one decimal */
#define D10(x)	(x) / 10, (x) % 10

/*
 * Slab in use, after the frees still waiting for RCU. The per-CPU counter
 * deltas not yet folded make it exact to a few pages: meaningful from 1e5
 * IDs up.
 */
static long __init slab_bytes(void)
{
	/* kfree_rcu() batches frees: let them drain */
	msleep(100);
	rcu_barrier();
	return (global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B) +
		global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B)) * PAGE_SIZE;
}

/* The cgroups of the charged rows: an in-kernel cgroup2 mount */
#define CG_ROOT "/ioasid-bench"

static char cg_paths[ARRAY_SIZE(depths)][256];
static const char *cg_current = CG_ROOT;

static int __init cg_write(const char *dir, const char *file, const char *val)
{
	char path[300];
	struct file *f;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, strlen(val), &f->f_pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

/* Move the booting task (PID 1) into the cgroup @dir */
static int __init cg_enter(const char *dir)
{
	int ret = 0;

	if (dir != cg_current)
		ret = cg_write(dir, "cgroup.procs", "0");
	if (ret)
		pr_err("cannot enter cgroup %s: %d\n", dir, ret);
	else
		cg_current = dir;
	return ret;
}

/*
 * One chain per depth: CG_ROOT/dD/l2/.../lD, the ioasids controller enabled
 * down to its leaf, which the task enters (a cgroup with controllers
 * enabled for its children may hold no task).
 */
static int __init cg_setup(void)
{
	unsigned int i, l;
	int ret;

	/*
	 * cgroup.procs refuses a task with PF_NO_SETAFFINITY, which init
	 * keeps until sched_init_smp(): UML is not SMP. The kernel powers off
	 * after the benchmark, so nothing else sees this.
	 */
	current->flags &= ~PF_NO_SETAFFINITY;
	ret = init_mkdir(CG_ROOT, 0700) ?:
	      init_mount("none", CG_ROOT, "cgroup2", 0, NULL);
	if (ret)
		return ret;
	if (!PATCHED)
		return 0;
	ret = cg_write(CG_ROOT, "cgroup.subtree_control", "+ioasids");
	for (i = 0; !ret && i < ARRAY_SIZE(depths); i++) {
		char *p = cg_paths[i];

		snprintf(p, sizeof(cg_paths[i]), CG_ROOT "/d%u", depths[i]);
		ret = init_mkdir(p, 0700);
		for (l = 2; !ret && l <= depths[i]; l++) {
			ret = cg_write(p, "cgroup.subtree_control", "+ioasids");
			snprintf(p + strlen(p), sizeof(cg_paths[i]) - strlen(p), "/l%u", l);
			ret = ret ?: init_mkdir(p, 0700);
		}
	}
	return ret;
}

/* Timed rows: NR pairs or lookups of one kind, once per round */
struct row {
	const char *name;
	unsigned int depth;	/* cgroup or counter chain depth; 0: none */
	const char *cg;		/* the cgroup the row runs in */
	int (*fn)(void *ctx);	/* one pair: 0 or a negative errno */
	void *ctx;
	u64 dns[BENCH_ROUNDS_MAX];
};

static int __init run_rows(struct row *rows, int nrows)
{
	unsigned int r, i;
	struct spread s;
	int k, ret;
	u64 t0;

	for (r = 0; r < rounds; r++) {
		for (k = 0; k < nrows; k++) {
			if (only && strcmp(only, rows[k].name))
				continue;
			ret = cg_enter(rows[k].cg ?: CG_ROOT);
			if (ret)
				return ret;
			t0 = ktime_get_ns();
			for (i = 0; i < pairs; i++) {
				ret = rows[k].fn(rows[k].ctx);
				if (ret) {
					pr_err("%s: pair %u: %d\n", rows[k].name, i, ret);
					return ret;
				}
			}
			rows[k].dns[r] = div_u64((ktime_get_ns() - t0) * 10, pairs);
			cond_resched();
		}
	}
	for (k = 0; k < nrows; k++) {
		if (only && strcmp(only, rows[k].name))
			continue;
		s = spread_of(rows[k].dns, rounds);
		pr_info("BENCH {\"kernel\":\"%s\",\"row\":\"%s\",\"depth\":%u,\"ns\":%llu.%llu,\"min\":%llu.%llu,\"max\":%llu.%llu}\n",
			KERNEL_NAME, rows[k].name, rows[k].depth, D10(s.med),
			D10(s.min), D10(s.max));
	}
	return cg_enter(CG_ROOT);
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

/* ctx: the leaf of a chain of page counters */
static int pc_pair(void *ctx)
{
	struct page_counter *fail;

	if (!page_counter_try_charge(ctx, 1, &fail))
		return -EDQUOT;
	page_counter_uncharge(ctx, 1);
	return 0;
}

/*
 * What the locking of an op costs here: the IOASID core takes one lock
 * with interrupts off (an ID may be freed in interrupt context), 6.1 two
 * plain ones. On a uniprocessor UML a plain spinlock compiles to nothing,
 * and turning interrupts off is a call that masks the host's signals.
 */
static DEFINE_SPINLOCK(bench_lock);

static int irqsave_pair(void *ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&bench_lock, flags);
	spin_unlock_irqrestore(&bench_lock, flags);
	spin_lock_irqsave(&bench_lock, flags);
	spin_unlock_irqrestore(&bench_lock, flags);
	return 0;
}

static int spinlock_pair(void *ctx)
{
	int i;

	for (i = 0; i < 4; i++) {
		spin_lock(&bench_lock);
		spin_unlock(&bench_lock);
	}
	return 0;
}

static V61(DECLARE_IOASID_SET)(v61_set);

static int v61_pair(void *ctx)
{
	V61(ioasid_t) id = V61(ioasid_alloc)(&v61_set, 1, BENCH_SPACE - 1, ctx);

	if (id == V61_INVALID)
		return -ENOSPC;
	V61(ioasid_free)(id);
	return 0;
}

#if PATCHED
static int ioasid_pair(void *ctx)
{
	ioasid_t id;
	int ret = ioasid_alloc(ctx, 1, BENCH_SPACE - 1, NULL, &id);

	if (!ret)
		ret = ioasid_free(ctx, id);
	return ret;
}
#endif

/*
 * The alloc+free rows: every depth of every kind, in one rotation. Each
 * allocator holds one live ID, at 1, throughout, as a system holds the
 * kernel's own PASIDs: a pair then takes and frees ID 2 without building
 * and tearing down the xarray's node each time, which would time the slab
 * rather than the allocator.
 */
static int __init bench_pairs(void)
{
	static struct page_counter pc[16];
	static struct row rows[14];
#if PATCHED
	static u8 token[ARRAY_SIZE(depths)];
	struct ioasid_set *sets[ARRAY_SIZE(depths) + 1] = { };
#endif
	DEFINE_XARRAY_ALLOC(xa);
	DEFINE_IDA(ida);
	V61(ioasid_t) v61_resident;
	int n = 0, ret = 0;
	unsigned int i;
	u32 xa_resident;

	for (i = 0; i < ARRAY_SIZE(pc); i++)
		page_counter_init(&pc[i], i ? &pc[i - 1] : NULL);
	v61_resident = V61(ioasid_alloc)(&v61_set, 1, BENCH_SPACE - 1, &rows);
	if (v61_resident != 1 || ida_alloc_min(&ida, 1, GFP_KERNEL) != 1 ||
	    xa_alloc(&xa, &xa_resident, &xa, XA_LIMIT(1, 1), GFP_KERNEL))
		return -EBUSY;

	rows[n++] = (struct row){ "xa_alloc", 0, NULL, xa_pair, &xa };
	rows[n++] = (struct row){ "ida_alloc", 0, NULL, ida_pair, &ida };
	rows[n++] = (struct row){ "lock_irqsave_x2", 0, NULL, irqsave_pair, NULL };
	rows[n++] = (struct row){ "spin_lock_x4", 0, NULL, spinlock_pair, NULL };
	for (i = 0; i < ARRAY_SIZE(depths); i++)
		rows[n++] = (struct row){ "page_counter", depths[i], NULL, pc_pair,
					  &pc[depths[i] - 1] };
	rows[n++] = (struct row){ "v61_ioasid", 0, NULL, v61_pair, &rows };
#if PATCHED
	sets[0] = ioasid_set_alloc(NULL, BENCH_SPACE, IOASID_SET_TYPE_NULL, 0);
	if (IS_ERR(sets[0])) {
		ret = PTR_ERR(sets[0]);
		sets[0] = NULL;
		goto out;
	}
	ret = ioasid_alloc(sets[0], 1, 1, NULL, &i);
	if (ret)
		goto out;
	rows[n++] = (struct row){ "uncharged", 0, NULL, ioasid_pair, sets[0] };
	/* A /dev/ioasid file's kind of set, charged to the task's cgroup */
	for (i = 0; i < ARRAY_SIZE(depths); i++) {
		sets[i + 1] = ioasid_set_alloc(&token[i], BENCH_SPACE,
					       IOASID_SET_TYPE_FILE,
					       IOASID_SET_CHARGED);
		if (IS_ERR(sets[i + 1])) {
			ret = PTR_ERR(sets[i + 1]);
			sets[i + 1] = NULL;
			goto out;
		}
		rows[n++] = (struct row){ "charged", depths[i], cg_paths[i],
					  ioasid_pair, sets[i + 1] };
	}
#endif
	ret = run_rows(rows, n);
#if PATCHED
out:
	for (i = 0; i < ARRAY_SIZE(sets); i++)
		if (sets[i])
			ioasid_set_free(sets[i]);
#endif
	V61(ioasid_free)(v61_resident);
	xa_destroy(&xa);
	ida_destroy(&ida);
	return ret;
}

/*
 * Lookups among n live IDs: the k-th ID allocated is ids[k], with SPID
 * k + 1 in this core. Keys in xorshift order, which defeats the caches as
 * n grows, or in allocation order, which shows the cost of the walk.
 */
struct lookup {
	const char *name;
	bool (*fn)(void *set, const u32 *ids, u32 k);
	void *set;
	const u32 *ids;
	bool random;
	u64 dns[BENCH_ROUNDS_MAX];
};

static int __init time_lookups(struct lookup *lk, unsigned int n, u64 *dns)
{
	u32 x = 2463534242U;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < lookups; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		if (!lk->fn(lk->set, lk->ids, lk->random ? x % n : i % n))
			return -ENOENT;
	}
	*dns = div_u64((ktime_get_ns() - t0) * 10, lookups);
	return 0;
}

static bool v61_find(void *set, const u32 *ids, u32 k)
{
	return !IS_ERR_OR_NULL(V61(ioasid_find)(set, ids[k], NULL));
}

/* 6.1's IDs, each with private data as its users have */
static int __init v61_fill(u32 *ids, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		ids[i] = V61(ioasid_alloc)(&v61_set, 1, BENCH_SPACE - 1, ids);
		if (ids[i] == V61_INVALID) {
			while (i--)
				V61(ioasid_free)(ids[i]);
			return -ENOSPC;
		}
	}
	return 0;
}

static void __init v61_empty(u32 *ids, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		V61(ioasid_free)(ids[i]);
}

#if PATCHED
static bool find_id(void *set, const u32 *ids, u32 k)
{
	return !IS_ERR(ioasid_find_type(IOASID_SET_TYPE_NULL, ids[k], NULL));
}

static bool find_spid(void *set, const u32 *ids, u32 k)
{
	return ioasid_find_by_spid(set, k + 1) == ids[k];
}

/* A VMM's kind of set: every ID with an SPID */
static struct ioasid_set *__init core_fill(u32 *ids, unsigned int n)
{
	struct ioasid_set *set;
	unsigned int i;
	int ret;

	set = ioasid_set_alloc(ids, n, IOASID_SET_TYPE_NULL, 0);
	if (IS_ERR(set))
		return set;
	for (i = 0; i < n; i++) {
		ret = ioasid_alloc_spid(set, 1, BENCH_SPACE - 1, i + 1, &ids[i]);
		if (ret) {
			ioasid_set_free(set);
			return ERR_PTR(ret);
		}
	}
	return set;
}
#endif

static void __init report_bytes(const char *who, unsigned int n, long bytes)
{
	if (n >= 100000)
		pr_info("BENCH {\"kernel\":\"%s\",\"row\":\"bytes_per_id\",\"who\":\"%s\",\"live\":%u,\"bytes\":%ld}\n",
			KERNEL_NAME, who, n, bytes / n);
}

static int __init bench_lookup(unsigned int n)
{
	u32 *ids61 = vmalloc(array_size(n, sizeof(u32)));
	u32 *ids = vmalloc(array_size(n, sizeof(u32)));
	struct lookup lk[6];
	void *set = NULL;
	int nlk = 0, k, ret = -ENOMEM;
	unsigned int r;
	long slab0;

	if (!ids || !ids61)
		goto out;
	slab0 = slab_bytes();
	ret = v61_fill(ids61, n);
	if (ret)
		goto out;
	report_bytes("v61", n, slab_bytes() - slab0);
	lk[nlk++] = (struct lookup){ "v61_id", v61_find, &v61_set, ids61, true };
	lk[nlk++] = (struct lookup){ "v61_id_seq", v61_find, &v61_set, ids61, false };
#if PATCHED
	slab0 = slab_bytes();
	set = core_fill(ids, n);
	if (IS_ERR(set)) {
		ret = PTR_ERR(set);
		set = NULL;
		goto out_v61;
	}
	report_bytes("core_spid", n, slab_bytes() - slab0);
	lk[nlk++] = (struct lookup){ "id", find_id, set, ids, true };
	lk[nlk++] = (struct lookup){ "id_seq", find_id, set, ids, false };
	lk[nlk++] = (struct lookup){ "spid", find_spid, set, ids, true };
	lk[nlk++] = (struct lookup){ "spid_seq", find_spid, set, ids, false };
#endif
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < nlk; k++) {
			ret = time_lookups(&lk[k], n, &lk[k].dns[r]);
			if (ret) {
				pr_err("lookup %s: not found\n", lk[k].name);
				goto out_set;
			}
		}
		cond_resched();
	}
	for (k = 0; k < nlk; k++) {
		struct spread s = spread_of(lk[k].dns, rounds);

		pr_info("BENCH {\"kernel\":\"%s\",\"row\":\"lookup\",\"kind\":\"%s\",\"live\":%u,\"ns\":%llu.%llu,\"min\":%llu.%llu,\"max\":%llu.%llu}\n",
			KERNEL_NAME, lk[k].name, n, D10(s.med), D10(s.min), D10(s.max));
	}
	ret = 0;
out_set:
#if PATCHED
	if (set)
		ioasid_set_free(set);
out_v61:
#endif
	v61_empty(ids61, n);
out:
	vfree(ids);
	vfree(ids61);
	return ret;
}

#if PATCHED
/*
 * The longest stretch without a reschedule point: an hrtimer asks whatever
 * task it interrupts to reschedule, every period. When it next finds the
 * request cleared, or another task running, the CPU passed a reschedule
 * point in between. The longest time between two such findings bounds the
 * longest stretch from above, to within two periods, and counts whatever
 * ran on the CPU: the task freeing the set, the softirqs it served, the
 * worker that frees the IDs' memory after the grace period. Stretches of
 * the idle task are left out: how soon the host delivers a timer signal to
 * an idle UML is not the kernel's doing.
 */
#define PROBE_PERIOD_NS	50000

struct resched_probe {
	struct hrtimer timer;
	struct task_struct *task;
	u64 start, last, longest, longest_end;
	unsigned long passes;
	char who[TASK_COMM_LEN];	/* the task of the longest stretch */
};

static enum hrtimer_restart probe_tick(struct hrtimer *t)
{
	struct resched_probe *p = container_of(t, struct resched_probe, timer);
	u64 now = ktime_get_ns();

	if (current != p->task || !test_tsk_need_resched(current)) {
		/* An idle CPU holds up no one, however late the host woke it */
		if (now - p->last > p->longest && !is_idle_task(p->task)) {
			p->longest = now - p->last;
			p->longest_end = now - p->start;
			get_task_comm(p->who, p->task);
		}
		p->last = now;
		p->task = current;
		p->passes++;
	}
	set_tsk_need_resched(current);
	hrtimer_forward_now(t, ns_to_ktime(PROBE_PERIOD_NS));
	return HRTIMER_RESTART;
}

static void probe_start(struct resched_probe *p)
{
	memset(p, 0, sizeof(*p));
	hrtimer_init(&p->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	p->timer.function = probe_tick;
	p->task = current;
	p->last = p->start = ktime_get_ns();
	set_tsk_need_resched(current);
	hrtimer_start(&p->timer, ns_to_ktime(PROBE_PERIOD_NS), HRTIMER_MODE_REL);
}

/*
 * The probe's floor: what it reports for a loop that passes a reschedule
 * point every microsecond, for as long as the probed free took. Whatever
 * it finds here is the host's (a late timer signal, the UML process
 * descheduled), not the kernel's.
 */
static u64 __init probe_floor(u64 ns)
{
	struct resched_probe p;
	u64 t0;

	probe_start(&p);
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < ns) {
		ndelay(1000);
		cond_resched();
	}
	hrtimer_cancel(&p.timer);
	return p.longest;
}

/*
 * A charged set of BENCH_FREE_SET IDs, as a /dev/ioasid file's, freed:
 * the time ioasid_set_free() takes and, with @p, the longest stretch until
 * the grace period and the worker after it are over
 */
static int __init free_set_once(struct resched_probe *p, u64 *ns)
{
	struct ioasid_set *set;
	unsigned int i;
	ioasid_t id;
	u64 t0;
	int ret;

	set = ioasid_set_alloc(&set, BENCH_FREE_SET, IOASID_SET_TYPE_FILE,
			       IOASID_SET_CHARGED);
	if (IS_ERR(set))
		return PTR_ERR(set);
	for (i = 0; i < BENCH_FREE_SET; i++) {
		ret = ioasid_alloc(set, 1, BENCH_SPACE - 1, NULL, &id);
		if (ret) {
			ioasid_set_free(set);
			return ret;
		}
	}
	cond_resched();
	if (p)
		probe_start(p);
	t0 = ktime_get_ns();
	ioasid_set_free(set);
	*ns = ktime_get_ns() - t0;
	/* The grace period, then the worker that frees the memory */
	rcu_barrier();
	msleep(100);
	if (p)
		hrtimer_cancel(&p->timer);
	return 0;
}

static int __init bench_free_set(void)
{
	u64 plain[BENCH_ROUNDS_MAX], probed, longest = 0, floor = 0;
	struct resched_probe probe;
	char who[TASK_COMM_LEN] = "";
	unsigned long passes = 0;
	struct spread s;
	unsigned int r;
	int ret;

	ret = cg_enter(cg_paths[1]);
	for (r = 0; !ret && r < rounds; r++) {
		ret = free_set_once(NULL, &plain[r]) ?:
		      free_set_once(&probe, &probed);
		if (probe.longest > longest) {
			longest = probe.longest;
			strscpy(who, probe.who, sizeof(who));
			pr_info("longest stretch %llu us, ending %llu us after the free began (which took %llu us)\n",
				div_u64(longest, 1000), div_u64(probe.longest_end, 1000),
				div_u64(probed, 1000));
		}
		passes += probe.passes;
		floor = ret ? floor : max(floor, probe_floor(probed));
	}
	if (ret)
		return ret;
	s = spread_of(plain, rounds);
	pr_info("BENCH {\"kernel\":\"%s\",\"row\":\"free_set\",\"ids\":%u,\"depth\":%u,\"us\":%llu,\"min_us\":%llu,\"max_us\":%llu,\"longest_stretch_us\":%llu,\"probe_period_us\":%u,\"passes\":%lu,\"longest_in\":\"%s\",\"probe_floor_us\":%llu}\n",
		KERNEL_NAME, BENCH_FREE_SET, depths[1], div_u64(s.med, 1000),
		div_u64(s.min, 1000), div_u64(s.max, 1000),
		div_u64(longest, 1000), PROBE_PERIOD_NS / 1000, passes, who,
		div_u64(floor, 1000));
	return cg_enter(CG_ROOT);
}
#endif

/* 6.1 has no sets: its owners free their IDs one by one */
static int __init bench_free_v61(void)
{
	u32 *ids = vmalloc(array_size(BENCH_FREE_SET, sizeof(u32)));
	u64 ns[BENCH_ROUNDS_MAX], t0;
	struct spread s;
	unsigned int r;
	int ret = 0;

	if (!ids)
		return -ENOMEM;
	for (r = 0; !ret && r < rounds; r++) {
		ret = v61_fill(ids, BENCH_FREE_SET);
		if (ret)
			break;
		cond_resched();
		t0 = ktime_get_ns();
		v61_empty(ids, BENCH_FREE_SET);
		ns[r] = ktime_get_ns() - t0;
	}
	vfree(ids);
	if (ret)
		return ret;
	s = spread_of(ns, rounds);
	pr_info("BENCH {\"kernel\":\"%s\",\"row\":\"free_v61\",\"ids\":%u,\"us\":%llu,\"min_us\":%llu,\"max_us\":%llu}\n",
		KERNEL_NAME, BENCH_FREE_SET, div_u64(s.med, 1000),
		div_u64(s.min, 1000), div_u64(s.max, 1000));
	return 0;
}

static int __init ioasid_bench_init(void)
{
	static const unsigned int lives[] = { 1000000, 100000, 1000 };
	unsigned int i;
	int ret;

	rounds = clamp(rounds, 1U, (unsigned int)BENCH_ROUNDS_MAX);
	pairs = max(pairs, 1U);
	lookups = max(lookups, 1U);
	pr_info("BENCH {\"kernel\":\"%s\",\"row\":\"start\",\"rounds\":%u,\"pairs\":%u,\"lookups\":%u}\n",
		KERNEL_NAME, rounds, pairs, lookups);

	/* Memory first, on a fresh system, from the largest size down */
	ret = cg_setup();
	for (i = 0; !ret && !only && i < ARRAY_SIZE(lives); i++)
		if (lives[i] <= max_live)
			ret = bench_lookup(lives[i]);
	ret = ret ?: bench_pairs();
	if (!only) {
		ret = ret ?: bench_free_v61();
#if PATCHED
		ret = ret ?: bench_free_set();
#endif
	}

	pr_info("BENCH {\"kernel\":\"%s\",\"row\":\"done\",\"status\":%d}\n",
		KERNEL_NAME, ret);
	kernel_power_off();
	return 0;
}
late_initcall(ioasid_bench_init);
