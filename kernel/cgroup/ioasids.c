// SPDX-License-Identifier: GPL-2.0
/*
 * IOASIDs controller
 *
 * Limits the I/O Address Space IDs (PCIe PASIDs, Arm SubstreamIDs) that the
 * tasks of a cgroup hold. The IDs come from one system-wide space of at most
 * 2^20, often far fewer: without a limit one tenant can take them all.
 *
 * Charging rule, in one place: an ID allocated into an IOASID set created
 * with IOASID_SET_CHARGED is charged to the cgroup of the task that
 * allocates it, at allocation. Those are the sets a task takes IDs into for
 * itself: the IOASID_SET_TYPE_MM set of a process's SVA PASID, the
 * IOASID_SET_TYPE_FILE set of each open /dev/ioasid (a guest PASID with its
 * SPID included), and amdgpu's IOASID_SET_TYPE_NULL set of the PASIDs of
 * render node opens and KFD processes. The charge stays with that cgroup, which the ID holds a
 * reference to, until the ID is freed, wherever the task moves and whoever
 * frees the ID. The kernel's own IDs (init_mm's PASID that a driver binds
 * for its DMA, a driver's own set such as amdgpu's for its in-kernel
 * client) are not charged. Migration moves no
 * charge: an ID is not tied to a task (a process may hand its PASID's file
 * to another) and, as for memory, the cgroup that caused the allocation is
 * the one that pays for it.
 *
 * A charge is lock-free: one atomic add per level, undone if a level is over
 * its limit. A refusal returns -EDQUOT and counts in ioasids.events of the
 * cgroup whose limit was reached and of its ancestors, and in
 * ioasids.events.local of that cgroup.
 */
#define pr_fmt(fmt) "ioasids: " fmt

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/fault-inject.h>
#include <linux/ioasid.h>
#include <linux/ioasids_cgroup.h>
#include <linux/kernel.h>
#include <linux/llist.h>
#include <linux/nsproxy.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "cgroup-internal.h"

/* "max": no limit; above any count, even with charges in flight */
#define IOASIDS_MAX	S64_MAX
#define IOASIDS_MAX_STR	"max"

/**
 * struct ioasids_cgroup - IOASID accounting of one cgroup
 * @css:		the cgroup's state
 * @counter:		IDs charged to the cgroup and its descendants
 * @limit:		ioasids.max, %IOASIDS_MAX for "max"
 * @peak:		the highest @counter seen
 * @events:		refusals by this cgroup's or a descendant's limit
 * @events_local:	refusals by this cgroup's own limit
 * @events_file:	for notifying ioasids.events
 * @events_local_file:	for notifying ioasids.events.local
 * @logged:		a refusal by this cgroup's limit was logged, or is
 *			about to be
 * @log_node:		entry in ioasids_log_list until that is logged
 * @stat:		the IDs charged to this cgroup and its descendants, of
 *			each enum ioasid_kind, per CPU: a CPU's count may be
 *			negative, their sum is not
 *
 * Every field is atomic, per CPU or written once: no lock guards this
 * structure.
 */
struct ioasids_cgroup {
	struct cgroup_subsys_state css;
	atomic64_t counter;
	atomic64_t limit;
	atomic64_t peak;
	atomic64_t events;
	atomic64_t events_local;
	struct cgroup_file events_file;
	struct cgroup_file events_local_file;
	atomic_t logged;
	struct llist_node log_node;
	struct ioasids_stat __percpu *stat;
};

/* Per CPU: what ioasids_mod_stat() counted there */
struct ioasids_stat {
	long nr[IOASID_NR_KINDS];
};

/* The keys of ioasids.stat, by enum ioasid_kind */
static const char * const ioasids_kind_names[IOASID_NR_KINDS] = {
	[IOASID_KIND_SVA]	= "sva",
	[IOASID_KIND_FILE]	= "file",
	[IOASID_KIND_GUEST]	= "guest",
	[IOASID_KIND_DRIVER]	= "driver",
};

static struct ioasids_cgroup *css_ioasids(struct cgroup_subsys_state *css)
{
	return css ? container_of(css, struct ioasids_cgroup, css) : NULL;
}

static struct ioasids_cgroup *parent_ioasids(struct ioasids_cgroup *ioasids)
{
	return css_ioasids(ioasids->css.parent);
}

/*
 * The cgroups whose first refusal is to be logged, in the order of their
 * refusals, each holding a reference: the IOASID core charges under its
 * spinlock, so the log line is written by a worker.
 */
static LLIST_HEAD(ioasids_log_list);

static void ioasids_log_refusals(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&ioasids_log_list);
	struct ioasids_cgroup *ioasids, *next;
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);

	list = llist_reverse_order(list);

	llist_for_each_entry_safe(ioasids, next, list, log_node) {
		if (path && cgroup_path(ioasids->css.cgroup, path, PATH_MAX) > 0)
			pr_info("IOASID allocation refused by the limit of cgroup %s\n",
				path);
		css_put(&ioasids->css);
	}
	kfree(path);
}

static DECLARE_WORK(ioasids_log_work, ioasids_log_refusals);

static struct cgroup_subsys_state *
ioasids_css_alloc(struct cgroup_subsys_state *parent)
{
	struct ioasids_cgroup *ioasids;

	ioasids = kzalloc(sizeof(*ioasids), GFP_KERNEL);
	if (!ioasids)
		return ERR_PTR(-ENOMEM);
	ioasids->stat = alloc_percpu(struct ioasids_stat);
	if (!ioasids->stat) {
		kfree(ioasids);
		return ERR_PTR(-ENOMEM);
	}

	atomic64_set(&ioasids->limit, IOASIDS_MAX);
	return &ioasids->css;
}

static void ioasids_css_free(struct cgroup_subsys_state *css)
{
	struct ioasids_cgroup *ioasids = css_ioasids(css);

	free_percpu(ioasids->stat);
	kfree(ioasids);
}

static void ioasids_update_peak(struct ioasids_cgroup *ioasids, s64 value)
{
	s64 peak = atomic64_read(&ioasids->peak);

	while (value > peak &&
	       !atomic64_try_cmpxchg(&ioasids->peak, &peak, value))
		;
}

/* Undo a charge of @ioasids and its ancestors below @top (NULL: all) */
static void ioasids_cancel(struct ioasids_cgroup *ioasids,
			   struct ioasids_cgroup *top)
{
	struct ioasids_cgroup *p;

	for (p = ioasids; p != top && parent_ioasids(p); p = parent_ioasids(p))
		WARN_ON_ONCE(atomic64_dec_return(&p->counter) < 0);
}

/*
 * @over refused a charge: count it there and up the hierarchy. The IOASID
 * core charges under its spinlock, with interrupts off: the files are
 * notified from here (cgroup_file_notify() defers the work), the log line
 * is left to ioasids_log_work.
 */
static void ioasids_refused(struct ioasids_cgroup *over)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	struct ioasids_cgroup *p;

	atomic64_inc(&over->events_local);
	cgroup_file_notify(&over->events_local_file);
	for (p = over; parent_ioasids(p); p = parent_ioasids(p)) {
		atomic64_inc(&p->events);
		cgroup_file_notify(&p->events_file);
	}

	/* Once per cgroup, and never a flood: any user can cause refusals */
	if (!atomic_read(&over->logged) && __ratelimit(&rs) &&
	    !atomic_xchg(&over->logged, 1)) {
		css_get(&over->css);
		llist_add(&over->log_node, &ioasids_log_list);
		schedule_work(&ioasids_log_work);
	}
}

#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(fail_ioasids_charge);

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
static int __init fail_ioasids_charge_debugfs(void)
{
	struct dentry *dir;

	dir = fault_create_debugfs_attr("fail_ioasids_charge", NULL,
					&fail_ioasids_charge);
	return PTR_ERR_OR_ZERO(dir);
}
late_initcall(fail_ioasids_charge_debugfs);
#endif

static bool ioasids_fail_charge(void)
{
	return should_fail(&fail_ioasids_charge, 1);
}
#else
static inline bool ioasids_fail_charge(void)
{
	return false;
}
#endif

/*
 * Charge one ID to @ioasids and its ancestors, all or nothing. Root has no
 * limit and is not charged: its usage is the IOASID core's. As with
 * page_counter, the peak of a level records a count that passed its limit,
 * even if a level above then refuses the charge.
 */
static int ioasids_charge(struct ioasids_cgroup *ioasids)
{
	struct ioasids_cgroup *p;

	for (p = ioasids; parent_ioasids(p); p = parent_ioasids(p)) {
		s64 new;

		if (ioasids_fail_charge()) {
			ioasids_cancel(ioasids, p);
			return -ENOMEM;
		}
		new = atomic64_inc_return(&p->counter);

		if (new > atomic64_read(&p->limit)) {
			ioasids_cancel(ioasids, parent_ioasids(p));
			ioasids_refused(p);
			return -EDQUOT;
		}
		ioasids_update_peak(p, new);
	}
	return 0;
}

/**
 * ioasids_try_charge() - Charge one IOASID to the current task's cgroup
 *
 * Called by the IOASID core when it allocates an ID into a charged set.
 * With CONFIG_FAULT_INJECTION, the fail_ioasids_charge fault attribute (a
 * debugfs directory of that name) fails a charge at a level of the
 * hierarchy with -ENOMEM, to test the rollback and the callers' error
 * paths (Documentation/fault-injection/fault-injection.rst).
 *
 * Context: any; does not sleep.
 * Return: the charged cgroup, with a reference held, to give to
 * ioasids_uncharge() when the ID is freed; ERR_PTR(-EDQUOT) if the
 * cgroup or an ancestor is at its limit; ERR_PTR(-ENOMEM) if fault
 * injection failed it.
 */
struct ioasids_cgroup *ioasids_try_charge(void)
{
	struct ioasids_cgroup *ioasids;
	int ret;

	ioasids = css_ioasids(task_get_css(current, ioasids_cgrp_id));
	ret = ioasids_charge(ioasids);
	if (ret) {
		css_put(&ioasids->css);
		return ERR_PTR(ret);
	}
	return ioasids;
}

/**
 * ioasids_uncharge() - Give back one IOASID charged by ioasids_try_charge()
 * @ioasids: the cgroup it returned; may be NULL
 *
 * Drops the reference to the cgroup, which may be dying: it is freed with
 * its last charged ID.
 *
 * Context: any; does not sleep.
 */
void ioasids_uncharge(struct ioasids_cgroup *ioasids)
{
	if (!ioasids)
		return;
	ioasids_cancel(ioasids, NULL);
	css_put(&ioasids->css);
}

/**
 * ioasids_mod_stat() - Count a charged IOASID in or out of its kind
 * @ioasids:	the cgroup ioasids_try_charge() returned for it; may be NULL
 * @kind:	its enum ioasid_kind
 * @delta:	1 when it becomes of @kind, -1 when it stops being
 *
 * Called by the IOASID core as the ID is published and freed and as its
 * set-private ID changes, for ioasids.stat. The count goes up the
 * hierarchy as the charge does, a per-CPU add per level, so that reading
 * the file costs the same at any depth and with any number of descendants.
 * The root's counts are the core's.
 *
 * Context: any; does not sleep.
 */
void ioasids_mod_stat(struct ioasids_cgroup *ioasids, int kind, int delta)
{
	struct ioasids_cgroup *p;

	for (p = ioasids; p && parent_ioasids(p); p = parent_ioasids(p))
		this_cpu_add(p->stat->nr[kind], delta);
}

/**
 * ioasids_cgroup_path() - The path of a charged cgroup
 * @ioasids:	the cgroup ioasids_try_charge() returned
 * @buf:	where to write the path
 * @buflen:	the size of @buf
 *
 * The path is relative to the root of the current task's cgroup namespace,
 * as in /proc/PID/cgroup, for showing who pays for an ID.
 *
 * Context: process, under rcu_read_lock() taken while an ID still held the
 * charge (its cgroup is freed a grace period after its last reference), or
 * with a reference; does not sleep.
 * Return: as cgroup_path_ns().
 */
int ioasids_cgroup_path(struct ioasids_cgroup *ioasids, char *buf,
			size_t buflen)
{
	struct cgroup_namespace *ns = current->nsproxy->cgroup_ns;
	int ret;

	spin_lock_irq(&css_set_lock);
	ret = cgroup_path_ns_locked(ioasids->css.cgroup, buf, buflen, ns);
	spin_unlock_irq(&css_set_lock);
	return ret;
}

static ssize_t ioasids_max_write(struct kernfs_open_file *of, char *buf,
				 size_t nbytes, loff_t off)
{
	struct ioasids_cgroup *ioasids = css_ioasids(of_css(of));
	s64 limit;

	buf = strstrip(buf);
	if (!strcmp(buf, IOASIDS_MAX_STR)) {
		limit = IOASIDS_MAX;
	} else if (kstrtoll(buf, 10, &limit) || limit < 0 ||
		   limit > IOASID_MAX_CAPACITY) {
		return -EINVAL;
	}

	/*
	 * A limit below the current count is allowed: nothing is taken
	 * back, new charges fail until the count drops below it.
	 */
	atomic64_set(&ioasids->limit, limit);
	return nbytes;
}

static int ioasids_max_show(struct seq_file *sf, void *v)
{
	struct ioasids_cgroup *ioasids = css_ioasids(seq_css(sf));
	s64 limit = atomic64_read(&ioasids->limit);

	if (limit >= IOASIDS_MAX)
		seq_puts(sf, IOASIDS_MAX_STR "\n");
	else
		seq_printf(sf, "%lld\n", limit);
	return 0;
}

static s64 ioasids_current_read(struct cgroup_subsys_state *css,
				struct cftype *cft)
{
	struct ioasids_cgroup *ioasids = css_ioasids(css);

	/* On the root: every ID in use, charged or not */
	if (!parent_ioasids(ioasids))
		return ioasid_get_capacity() - ioasid_get_free();
	return atomic64_read(&ioasids->counter);
}

static s64 ioasids_peak_read(struct cgroup_subsys_state *css,
			     struct cftype *cft)
{
	return atomic64_read(&css_ioasids(css)->peak);
}

static u64 ioasids_capacity_read(struct cgroup_subsys_state *css,
				 struct cftype *cft)
{
	return ioasid_get_capacity();
}

/*
 * The IDs of each kind charged to @ioasids and its descendants: the sum
 * of its per-CPU counts. A snapshot, as the other files are; while IDs
 * come and go it may differ a little from ioasids.current.
 */
static void ioasids_sum_stat(struct ioasids_cgroup *ioasids,
			     long nr[IOASID_NR_KINDS])
{
	int cpu, kind;

	for_each_possible_cpu(cpu) {
		struct ioasids_stat *stat = per_cpu_ptr(ioasids->stat, cpu);

		for (kind = 0; kind < IOASID_NR_KINDS; kind++)
			nr[kind] += READ_ONCE(stat->nr[kind]);
	}
}

static int ioasids_stat_show(struct seq_file *sf, void *v)
{
	struct ioasids_cgroup *ioasids = css_ioasids(seq_css(sf));
	long nr[IOASID_NR_KINDS] = { };
	int kind;

	/* On the root: every ID in use, charged or not, as ioasids.current */
	if (!parent_ioasids(ioasids)) {
		ioasid_t all[IOASID_NR_KINDS];

		ioasid_count_kinds(all);
		for (kind = 0; kind < IOASID_NR_KINDS; kind++)
			nr[kind] = all[kind];
	} else {
		ioasids_sum_stat(ioasids, nr);
	}
	for (kind = 0; kind < IOASID_NR_KINDS; kind++)
		seq_printf(sf, "%s %ld\n", ioasids_kind_names[kind],
			   max(nr[kind], 0L));
	return 0;
}

static int ioasids_events_show(struct seq_file *sf, void *v)
{
	struct ioasids_cgroup *ioasids = css_ioasids(seq_css(sf));

	seq_printf(sf, "max %lld\n", (s64)atomic64_read(&ioasids->events));
	return 0;
}

static int ioasids_events_local_show(struct seq_file *sf, void *v)
{
	struct ioasids_cgroup *ioasids = css_ioasids(seq_css(sf));

	seq_printf(sf, "max %lld\n", (s64)atomic64_read(&ioasids->events_local));
	return 0;
}

static struct cftype ioasids_files[] = {
	{
		.name = "max",
		.write = ioasids_max_write,
		.seq_show = ioasids_max_show,
		.flags = CFTYPE_NOT_ON_ROOT,
	},
	{
		.name = "current",
		.read_s64 = ioasids_current_read,
	},
	{
		.name = "peak",
		.read_s64 = ioasids_peak_read,
		.flags = CFTYPE_NOT_ON_ROOT,
	},
	{
		.name = "events",
		.seq_show = ioasids_events_show,
		.file_offset = offsetof(struct ioasids_cgroup, events_file),
		.flags = CFTYPE_NOT_ON_ROOT,
	},
	{
		.name = "events.local",
		.seq_show = ioasids_events_local_show,
		.file_offset = offsetof(struct ioasids_cgroup, events_local_file),
		.flags = CFTYPE_NOT_ON_ROOT,
	},
	{
		.name = "stat",
		.seq_show = ioasids_stat_show,
	},
	{
		.name = "capacity",
		.read_u64 = ioasids_capacity_read,
		.flags = CFTYPE_ONLY_ON_ROOT,
	},
	{ }	/* terminate */
};

struct cgroup_subsys ioasids_cgrp_subsys = {
	.css_alloc	= ioasids_css_alloc,
	.css_free	= ioasids_css_free,
	.legacy_cftypes	= ioasids_files,
	.dfl_cftypes	= ioasids_files,
};

#if IS_ENABLED(CONFIG_CGROUP_IOASIDS_KUNIT_TEST)
#include "ioasids_kunit.c"
#endif
