// SPDX-License-Identifier: GPL-2.0
/*
 * I/O Address Space ID core
 *
 * IOASIDs (PCIe PASIDs, Arm SubstreamIDs) come from one system-wide space.
 * They are allocated into sets; a set has an owner token, a type and a
 * quota, and the whole space has a capacity that the IOMMU driver sets.
 * An ID is reserved while it is being allocated, invisible to lookups, then
 * live until its owner frees it or frees its set. A set may attach a
 * set-private ID (SPID, e.g. the guest PASID) to each of its IDs.
 *
 * See Documentation/driver-api/ioasid.rst.
 */
#define pr_fmt(fmt) "ioasid: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/ioasid.h>
#include <linux/ioasids_cgroup.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

/**
 * struct ioasid_set - a group of IOASIDs with one owner
 * @token:	owner cookie; an mm_struct or a file for a process's set
 * @type:	what @token is
 * @flags:	%IOASID_SET_CHARGED or 0
 * @quota:	the most IDs the set may hold
 * @nr_ioasids:	IDs the set holds, and those being allocated into it
 * @dead:	ioasid_set_free() was called: no new IDs
 * @ref:	the owner's reference; the set is freed, after a grace period,
 *		with the last one
 * @ids:	the live IDs, in no particular order
 * @spid_xa:	set-private ID -> struct ioasid_data
 * @freed:	the IDs ioasid_set_free() took out of the ID space, to free
 *		after a grace period
 * @free_work:	frees them, then drops the owner's reference
 * @rcu:	the set is freed after a grace period
 *
 * @nr_ioasids, @dead and @ids are guarded by the IOASID lock (the lock of
 * ioasid_xa). @token, @type, @flags and @quota never change. @spid_xa is
 * read under RCU. A slot of it is reserved, as a zero entry that lookups do
 * not see, before the IOASID lock is taken, so that its nodes are allocated
 * where a charged set's memory cgroup may refuse them; it is filled and
 * emptied under the IOASID lock, by the ID's allocation, free or SPID
 * change alone.
 *
 * An ID holds no reference to its set: its set outlives it, because
 * ioasid_set_free() frees every ID before it drops the owner's reference,
 * and an allocation holds the IOASID lock from the check of @dead to the
 * publication of the ID.
 */
struct ioasid_set {
	void *token;
	enum ioasid_set_type type;
	unsigned int flags;
	ioasid_t quota;
	ioasid_t nr_ioasids;
	bool dead;
	refcount_t ref;
	struct list_head ids;
	struct xarray spid_xa;
	struct list_head freed;
	struct rcu_work free_work;
	struct rcu_head rcu;
};

/**
 * struct ioasid_data - one allocated IOASID
 * @set:	the set the ID belongs to
 * @charge:	the ioasids cgroup charged for the ID, or NULL
 * @spid:	set-private ID attached to it, or %INVALID_IOASID
 * @id:		the ID
 * @private:	the owner's data, read under RCU by ioasid_find_type()
 * @type:	@set's type, for ioasid_find_type() to check without
 *		reading the set
 * @set_node:	entry in @set->ids while the ID is live, then in
 *		@set->freed if ioasid_set_free() freed it
 * @rcu:	once ioasid_free() freed the ID: lookups run under RCU, and
 *		the data is freed after a grace period
 *
 * @spid and @set_node are guarded by the IOASID lock. @id, @set, @charge
 * and @type never change. No lookup reads @set_node, so @rcu reuses its
 * room: 56 bytes an ID on 64-bit, in a cache of their own.
 */
struct ioasid_data {
	struct ioasid_set *set;
	struct ioasids_cgroup *charge;
	ioasid_t spid;
	/* What lookups read, close together: few IDs span two cache lines */
	ioasid_t id;
	void __rcu *private;
	u8 type;
	union {
		struct list_head set_node;
		struct rcu_head rcu;
	};
};

/*
 * The IOASID lock, the spinlock of ioasid_xa, guards every change to the ID
 * space: ioasid_xa, every set's IDs, count and state, the capacity counters
 * and the list of platform allocators. Being the xarray's own lock, an ID
 * is allocated or freed with one lock taken. It is taken with interrupts
 * disabled because an mm's PASID is freed from __mmdrop(), which may run in
 * atomic context. Lookups (ioasid_find_type(), ioasid_find_by_spid()) take
 * no lock: an entry of ioasid_xa is NULL until the ID is published, and IDs
 * and sets are freed after an RCU grace period.
 */
static DEFINE_XARRAY_FLAGS(ioasid_xa, XA_FLAGS_ALLOC | XA_FLAGS_LOCK_IRQ);
static struct kmem_cache *ioasid_cache __ro_after_init;
static LIST_HEAD(ioasid_allocators);		/* the first one is active */

#define ioasid_lock_irqsave(flags)	xa_lock_irqsave(&ioasid_xa, flags)
#define ioasid_unlock_irqrestore(flags)	xa_unlock_irqrestore(&ioasid_xa, flags)
#define ioasid_lock_held()		lockdep_assert_held(&ioasid_xa.xa_lock)

static ioasid_t ioasid_capacity = IOASID_MAX_CAPACITY;
static ioasid_t ioasid_capacity_avail = IOASID_MAX_CAPACITY;
/* The live IDs of each enum ioasid_kind; guarded by the IOASID lock */
static ioasid_t ioasid_kind_nr[IOASID_NR_KINDS];

/**
 * ioasid_set_capacity() - Bound the number of IOASIDs the system has
 * @total: how many IDs the PASID-capable units of one IOMMU support, at
 *	   most %IOASID_MAX_CAPACITY
 *
 * Each IOMMU driver calls this at init for its units that can use PASIDs.
 * PASIDs are system-wide, so the smallest width wins: the capacity only goes
 * down. Until a driver calls it the capacity is %IOASID_MAX_CAPACITY, the
 * PCIe PASID space, and on a machine without a PASID-capable IOMMU it stays
 * there: no device can use the IDs, and nothing narrower bounds them.
 *
 * Return: 0 on success, also when @total is not below the capacity; -EINVAL
 * if @total is 0 or too large; -EBUSY if more than @total IDs are in use.
 */
int ioasid_set_capacity(ioasid_t total)
{
	unsigned long flags;
	ioasid_t used;
	int ret = 0;

	if (!total || total > IOASID_MAX_CAPACITY)
		return -EINVAL;

	ioasid_lock_irqsave(flags);
	used = ioasid_capacity - ioasid_capacity_avail;
	if (total >= ioasid_capacity) {
		total = ioasid_capacity;
	} else if (used > total) {
		ret = -EBUSY;
	} else {
		ioasid_capacity = total;
		ioasid_capacity_avail = total - used;
	}
	ioasid_unlock_irqrestore(flags);

	if (!ret)
		pr_info("capacity %u\n", total);
	return ret;
}
EXPORT_SYMBOL_GPL(ioasid_set_capacity);

/**
 * ioasid_get_capacity() - The number of IOASIDs the system has
 *
 * Return: the capacity set by ioasid_set_capacity(), or %IOASID_MAX_CAPACITY.
 */
ioasid_t ioasid_get_capacity(void)
{
	return READ_ONCE(ioasid_capacity);
}
EXPORT_SYMBOL_GPL(ioasid_get_capacity);

/**
 * ioasid_get_free() - The number of IOASIDs still free
 *
 * Return: the capacity less the IDs allocated and being allocated, a
 * snapshot.
 */
ioasid_t ioasid_get_free(void)
{
	return READ_ONCE(ioasid_capacity_avail);
}
EXPORT_SYMBOL_GPL(ioasid_get_free);

/**
 * ioasid_count_kinds() - The live IOASIDs of each kind, charged or not
 * @nr: filled with the count of each enum ioasid_kind
 *
 * The ioasids controller shows them in the root cgroup's ioasids.stat.
 *
 * Context: any; lockless, each count a snapshot.
 */
void ioasid_count_kinds(ioasid_t nr[IOASID_NR_KINDS])
{
	int kind;

	for (kind = 0; kind < IOASID_NR_KINDS; kind++)
		nr[kind] = READ_ONCE(ioasid_kind_nr[kind]);
}

static void ioasid_set_release_rcu(struct rcu_head *rcu)
{
	struct ioasid_set *set = container_of(rcu, struct ioasid_set, rcu);

	/*
	 * Every ID took its SPID with it, but an SPID reservation that failed
	 * for memory may have left empty nodes. The xarray's lock is always
	 * taken with interrupts disabled, so taking it here, in softirq, is
	 * safe.
	 */
	xa_destroy(&set->spid_xa);
	kfree(set);
}

/**
 * ioasid_set_alloc() - Allocate an IOASID set
 * @token:	the owner: an opaque cookie, or the mm for %IOASID_SET_TYPE_MM
 * @quota:	the most IDs the set may hold
 * @type:	what @token is
 * @flags:	%IOASID_SET_CHARGED for a set whose IDs a task takes for
 *		itself, 0 for the kernel's own
 *
 * The caller owns the returned set and its reference, and gives both up
 * with ioasid_set_free(). The core does not index sets by token: the SVA
 * library keeps its own mm -> set index. An mm set does not pin the mm: its
 * owner frees the set before the mm goes (the SVA library does so from
 * mm_pasid_drop()).
 *
 * Each ID of a charged set is charged to the ioasids cgroup of the task
 * that allocates it, and the memory the core keeps for a charged set and
 * its IDs to that task's memory cgroup.
 *
 * Context: may sleep.
 * Return: the set; ERR_PTR(-EINVAL) for a zero quota, an unknown type or
 * flag, or a process's set without a token; ERR_PTR(-ENOMEM).
 */
struct ioasid_set *ioasid_set_alloc(void *token, ioasid_t quota,
				    enum ioasid_set_type type,
				    unsigned int flags)
{
	bool charged = flags & IOASID_SET_CHARGED;
	struct ioasid_set *set;

	if (!quota || type < IOASID_SET_TYPE_NULL ||
	    type >= IOASID_SET_TYPE_NR || (flags & ~IOASID_SET_FLAGS))
		return ERR_PTR(-EINVAL);
	if (type != IOASID_SET_TYPE_NULL && !token)
		return ERR_PTR(-EINVAL);

	set = kzalloc(sizeof(*set), charged ? GFP_KERNEL_ACCOUNT : GFP_KERNEL);
	if (!set)
		return ERR_PTR(-ENOMEM);

	set->token = token;
	set->type = type;
	set->flags = flags;
	set->quota = quota;
	refcount_set(&set->ref, 1);
	INIT_LIST_HEAD(&set->ids);
	INIT_LIST_HEAD(&set->freed);
	/*
	 * SPIDs are any 32-bit value: sparse ones cost a node each. An ID,
	 * and its SPID, may be freed in interrupt context.
	 */
	xa_init_flags(&set->spid_xa, XA_FLAGS_LOCK_IRQ |
		      (charged ? XA_FLAGS_ACCOUNT : 0));
	return set;
}
EXPORT_SYMBOL_GPL(ioasid_set_alloc);

/*
 * Drop a reference to a set: with the last one the set is freed, after an
 * RCU grace period. Any context; the caller may hold the IOASID lock.
 */
static void ioasid_set_put(struct ioasid_set *set)
{
	if (refcount_dec_and_test(&set->ref))
		call_rcu(&set->rcu, ioasid_set_release_rcu);
}

/**
 * ioasid_set_count() - The number of IDs a set holds
 * @set: the set
 *
 * Return: the IDs @set holds, a snapshot.
 */
ioasid_t ioasid_set_count(struct ioasid_set *set)
{
	return READ_ONCE(set->nr_ioasids);
}
EXPORT_SYMBOL_GPL(ioasid_set_count);

/**
 * ioasid_set_quota() - The quota of a set
 * @set: the set
 *
 * Return: the most IDs @set may hold.
 */
ioasid_t ioasid_set_quota(struct ioasid_set *set)
{
	return set->quota;
}
EXPORT_SYMBOL_GPL(ioasid_set_quota);

/* One ID as ioasid_set_show_ids() shows it */
struct ioasid_shown {
	ioasid_t id;
	ioasid_t spid;
	struct ioasids_cgroup *charge;
};

static int ioasid_shown_cmp(const void *a, const void *b)
{
	const struct ioasid_shown *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/**
 * ioasid_set_show_ids() - Show the IDs of a set, for its owner's fdinfo
 * @m:		the seq_file
 * @set:	the set
 *
 * One line per ID @set holds, in ascending order:
 * ``ioasid:\t<ID> spid:<SPID> cgroup:<path>``, the SPID ``-`` if none,
 * the path that of the ioasids cgroup charged for the ID in the reader's
 * cgroup namespace, to the end of the line, or ``-`` if none is. A
 * snapshot: IDs allocated while it is taken may be left out. Without the
 * memory for it, nothing is shown.
 *
 * Context: process; may sleep. Takes the IOASID lock.
 */
void ioasid_set_show_ids(struct seq_file *m, struct ioasid_set *set)
{
	bool charged = set->flags & IOASID_SET_CHARGED;
	ioasid_t i, n = READ_ONCE(set->nr_ioasids);
	struct ioasids_cgroup *last = NULL;
	struct ioasid_shown *shown;
	struct ioasid_data *data;
	unsigned long flags;
	const char *cg = "-";
	char *path = NULL;

	if (!n)
		return;
	shown = kvmalloc_array(n, sizeof(*shown), GFP_KERNEL);
	if (charged)
		path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!shown || (charged && !path))
		goto out;

	/*
	 * A charged cgroup is freed a grace period after its last ID: read
	 * under RCU from when its ID still held it, it stays valid after the
	 * IOASID lock, which its path cannot be taken under, is dropped. The
	 * oldest IDs come first in @set->ids.
	 */
	rcu_read_lock();
	i = 0;
	ioasid_lock_irqsave(flags);
	list_for_each_entry(data, &set->ids, set_node) {
		if (i == n)
			break;
		shown[i].id = data->id;
		shown[i].spid = data->spid;
		shown[i++].charge = data->charge;
	}
	ioasid_unlock_irqrestore(flags);
	n = i;
	sort(shown, n, sizeof(*shown), ioasid_shown_cmp, NULL);

	/* Once the buffer is full, seq_file calls again with a larger one */
	for (i = 0; i < n && !seq_has_overflowed(m); i++) {
		/* A file's IDs are mostly charged to one cgroup: one path */
		if (shown[i].charge != last) {
			last = shown[i].charge;
			cg = last && ioasids_cgroup_path(last, path, PATH_MAX) > 0 ?
			     path : "-";
		}
		seq_printf(m, "ioasid:\t%u spid:", shown[i].id);
		if (pasid_valid(shown[i].spid))
			seq_printf(m, "%u", shown[i].spid);
		else
			seq_putc(m, '-');
		seq_printf(m, " cgroup:%s\n", cg);
	}
	rcu_read_unlock();
out:
	kfree(path);
	kvfree(shown);
}

static struct ioasid_allocator_ops *ioasid_active_allocator(void)
{
	ioasid_lock_held();
	return list_first_entry_or_null(&ioasid_allocators,
					struct ioasid_allocator_ops, list);
}

static enum ioasid_kind ioasid_kind(const struct ioasid_data *data)
{
	if (pasid_valid(data->spid))
		return IOASID_KIND_GUEST;
	switch (data->type) {
	case IOASID_SET_TYPE_MM:
		return IOASID_KIND_SVA;
	case IOASID_SET_TYPE_FILE:
		return IOASID_KIND_FILE;
	default:
		return IOASID_KIND_DRIVER;
	}
}

/*
 * Count a live ID in (@delta 1) or out of (-1) its kind, system-wide and in
 * its cgroup's ioasids.stat: when it is published or unpublished, and
 * around a change of its SPID.
 */
static void ioasid_count_locked(struct ioasid_data *data, int delta)
{
	enum ioasid_kind kind = ioasid_kind(data);

	ioasid_lock_held();
	WRITE_ONCE(ioasid_kind_nr[kind], ioasid_kind_nr[kind] + delta);
	ioasids_mod_stat(data->charge, kind, delta);
}

static void ioasid_data_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(ioasid_cache, container_of(rcu, struct ioasid_data, rcu));
}

/*
 * Take a live ID out of the ID space: lookups stop finding it, its number
 * is reusable and its cgroup uncharged. @xas is at the ID's slot of
 * ioasid_xa. The caller unlinks @data->set_node and frees @data after a
 * grace period.
 */
static void ioasid_unpublish_locked(struct xa_state *xas,
				    struct ioasid_data *data)
{
	struct ioasid_allocator_ops *ops = ioasid_active_allocator();
	struct ioasid_set *set = data->set;

	ioasid_lock_held();
	ioasid_count_locked(data, -1);
	if (pasid_valid(data->spid))
		xa_erase(&set->spid_xa, data->spid);
	xas_store(xas, NULL);
	set->nr_ioasids--;
	ioasid_capacity_avail++;
	if (ops)
		ops->free(data->id, ops->pdata);
	ioasids_uncharge(data->charge);
}

/*
 * Refuse an allocation into @set for what the system lacks: a live set,
 * room in its quota and in the capacity.
 */
static int ioasid_check_locked(struct ioasid_set *set)
{
	ioasid_lock_held();
	if (set->dead)
		return -EINVAL;
	if (set->nr_ioasids >= set->quota)
		return -EDQUOT;
	if (!ioasid_capacity_avail)
		return -ENOSPC;
	return 0;
}

/*
 * Publish @data, whose number data->id is free, in the slot of @xas; for a
 * charged set, charge the cgroup first. The number was found free, so the
 * only refusal left to the system is a lack of memory for an xarray node,
 * which gives the charge back (ioasids.peak may have counted it).
 * Returns 0 or a negative errno, with nothing charged.
 */
static int ioasid_store_locked(struct xa_state *xas, struct ioasid_data *data,
			       bool charged)
{
	struct ioasids_cgroup *charge = NULL;

	if (charged) {
		charge = ioasids_try_charge();
		if (IS_ERR(charge))
			return PTR_ERR(charge);
	}
	data->charge = charge;
	xas_store(xas, data);
	if (xas_error(xas)) {
		ioasids_uncharge(charge);
		data->charge = NULL;
	}
	return xas_error(xas);
}

/*
 * Take a number in [@min, @max] from the core's allocator and store @data
 * there, as ioasid_store_locked() does
 */
static int ioasid_alloc_core_locked(struct ioasid_data *data, ioasid_t min,
				    ioasid_t max, bool charged)
{
	XA_STATE(xas, &ioasid_xa, min);
	int ret;

	/* A new node comes from GFP_ATOMIC, so the lock stays held */
	do {
		xas_set(&xas, min);
		xas_find_marked(&xas, max, XA_FREE_MARK);
		if (xas.xa_node == XAS_RESTART) {
			ret = -ENOSPC;
		} else {
			data->id = xas.xa_index;
			ret = ioasid_store_locked(&xas, data, charged);
		}
	} while (xas_nomem(&xas, GFP_ATOMIC));
	if (!ret)
		xas_clear_mark(&xas, XA_FREE_MARK);
	return ret;
}

/* The same, with the number from the platform's allocator @ops */
static int ioasid_alloc_platform_locked(struct ioasid_allocator_ops *ops,
					struct ioasid_data *data, ioasid_t min,
					ioasid_t max, bool charged)
{
	XA_STATE(xas, &ioasid_xa, 0);
	ioasid_t pid;
	int ret;

	pid = ops->alloc(min, max, ops->pdata);
	if (!pasid_valid(pid))
		return -ENOSPC;
	data->id = pid;
	xas_set(&xas, pid);
	do {
		/* Out of range, or a number the core tracks: the platform's error */
		if (pid < min || pid > max || xas_load(&xas))
			ret = -ENOSPC;
		else
			ret = ioasid_store_locked(&xas, data, charged);
	} while (xas_nomem(&xas, GFP_ATOMIC));
	if (ret)
		ops->free(pid, ops->pdata);
	else
		xas_clear_mark(&xas, XA_FREE_MARK);
	return ret;
}

/*
 * What the core allocates for an ID of @set. A task's allocation is bounded
 * by its memory cgroup too (the set's SPID xarray adds __GFP_ACCOUNT to its
 * nodes), and fails at memory.max rather than waking the OOM killer; the
 * kernel's may come from atomic context.
 */
static gfp_t ioasid_gfp(struct ioasid_set *set)
{
	if (set->flags & IOASID_SET_CHARGED)
		return GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL;
	return GFP_ATOMIC;
}

/*
 * Reserve @spid in @set: a zero entry, which lookups do not see, in a slot
 * whose nodes come from ioasid_gfp(), before the IOASID lock is taken.
 * Freeing an ID may erase its SPID in interrupt context, hence the irqsave
 * lock.
 */
static int ioasid_spid_reserve(struct ioasid_set *set, ioasid_t spid)
{
	unsigned long flags;
	int ret;

	xa_lock_irqsave(&set->spid_xa, flags);
	ret = __xa_insert(&set->spid_xa, spid, NULL, ioasid_gfp(set));
	xa_unlock_irqrestore(&set->spid_xa, flags);
	return ret == -EBUSY ? -EEXIST : ret;
}

/* Undo ioasid_spid_reserve() */
static void ioasid_spid_unreserve(struct ioasid_set *set, ioasid_t spid)
{
	unsigned long flags;

	xa_lock_irqsave(&set->spid_xa, flags);
	__xa_erase(&set->spid_xa, spid);
	xa_unlock_irqrestore(&set->spid_xa, flags);
}

static int __ioasid_alloc(struct ioasid_set *set, ioasid_t min, ioasid_t max,
			  ioasid_t spid, void *private, ioasid_t *id)
{
	bool charged = set->flags & IOASID_SET_CHARGED;
	struct ioasid_allocator_ops *ops;
	struct ioasid_data *data;
	unsigned long flags;
	int ret;

	might_sleep_if(charged);
	/* Every field is set below, or in ioasid_store_locked() */
	data = kmem_cache_alloc(ioasid_cache, ioasid_gfp(set));
	if (!data)
		return -ENOMEM;
	data->set = set;
	data->spid = spid;
	data->type = set->type;
	RCU_INIT_POINTER(data->private, private);

	if (pasid_valid(spid)) {
		ret = ioasid_spid_reserve(set, spid);
		if (ret)
			goto out_free;
	}

	/*
	 * One critical section: what the system refuses (a dead set, the
	 * quota, the capacity, no free number) is refused before the cgroup
	 * is charged, so that ioasids.events only counts what the cgroup's
	 * limits decided, and the charge, an atomic add per level that never
	 * sleeps, is made where no ioasid_set_free() can run.
	 */
	ioasid_lock_irqsave(flags);
	ret = ioasid_check_locked(set);
	if (!ret) {
		ops = ioasid_active_allocator();
		if (ops)
			ret = ioasid_alloc_platform_locked(ops, data, min, max,
							   charged);
		else
			ret = ioasid_alloc_core_locked(data, min, max, charged);
	}
	if (ret) {
		ioasid_unlock_irqrestore(flags);
		goto out_spid;
	}
	set->nr_ioasids++;
	ioasid_capacity_avail--;
	if (pasid_valid(spid))
		xa_store(&set->spid_xa, spid, data, GFP_ATOMIC);
	list_add_tail(&data->set_node, &set->ids);
	ioasid_count_locked(data, 1);
	*id = data->id;
	ioasid_unlock_irqrestore(flags);
	return 0;

out_spid:
	if (pasid_valid(spid))
		ioasid_spid_unreserve(set, spid);
out_free:
	kmem_cache_free(ioasid_cache, data);
	return ret;
}

/**
 * ioasid_alloc() - Allocate an IOASID
 * @set:	the set to allocate into
 * @min:	the lowest acceptable ID
 * @max:	the highest acceptable ID
 * @private:	data of the owner, returned by ioasid_find_type()
 * @id:		where the new ID is stored
 *
 * The ID is live, and found by ioasid_find_type() and its SPID, until
 * ioasid_free() or ioasid_set_free().
 *
 * An ID of a charged set (%IOASID_SET_CHARGED) is charged to the ioasids
 * cgroup of the calling task until it is freed. The set's state, quota,
 * the capacity and the range are checked first: an allocation they refuse
 * leaves the cgroup's counters as they were.
 *
 * Context: process context for a charged set, which may sleep; any
 * context, without sleeping, for another.
 * Return: 0 on success; -EINVAL for a bad range or a freed set; -EDQUOT if
 * the set is at its quota or the cgroup at its limit; -ENOSPC if the system
 * is at capacity or no ID in [@min, @max] is free; -ENOMEM.
 */
int ioasid_alloc(struct ioasid_set *set, ioasid_t min, ioasid_t max,
		 void *private, ioasid_t *id)
{
	if (!set || !id || min > max || max == INVALID_IOASID)
		return -EINVAL;
	return __ioasid_alloc(set, min, max, INVALID_IOASID, private, id);
}
EXPORT_SYMBOL_GPL(ioasid_alloc);

/**
 * ioasid_alloc_spid() - Allocate an IOASID with a set-private ID
 * @set:	the set to allocate into
 * @min:	the lowest acceptable ID
 * @max:	the highest acceptable ID
 * @spid:	the set-private ID to attach, e.g. the guest's PASID
 * @id:		where the new ID is stored
 *
 * As ioasid_alloc() followed by ioasid_attach_spid(), in one step: the ID
 * is found, by number or by @spid, only once it has both, and a refused
 * @spid leaves nothing to undo.
 *
 * Context: as ioasid_alloc().
 * Return: as ioasid_alloc(); -EINVAL also for %INVALID_IOASID as @spid;
 * -EEXIST if @spid is in use in @set.
 */
int ioasid_alloc_spid(struct ioasid_set *set, ioasid_t min, ioasid_t max,
		      ioasid_t spid, ioasid_t *id)
{
	if (!set || !id || min > max || max == INVALID_IOASID ||
	    !pasid_valid(spid))
		return -EINVAL;
	return __ioasid_alloc(set, min, max, spid, NULL, id);
}
EXPORT_SYMBOL_GPL(ioasid_alloc_spid);

/* Look up a live ID, at the index of @xas, for its owner */
static struct ioasid_data *ioasid_lookup_locked(struct xa_state *xas,
						struct ioasid_set *set, int *err)
{
	struct ioasid_data *data;

	ioasid_lock_held();
	data = xas_load(xas);
	if (!data) {
		*err = -ENOENT;
		return NULL;
	}
	if (data->set != set) {
		*err = -EACCES;
		return NULL;
	}
	return data;
}

/**
 * ioasid_free() - Free an IOASID
 * @set:	the set of the ID, proving ownership
 * @id:		the ID
 *
 * The ID stops being found, its SPID is detached, its cgroup uncharged,
 * and its number may be allocated again. Whoever programmed @id into a
 * device or an IOMMU must have torn that down first.
 *
 * Context: any; does not sleep.
 * Return: 0 on success; -EINVAL without a set; -ENOENT if @id is not a
 * live ID (never allocated, or freed already); -EACCES if it belongs to
 * another set.
 */
int ioasid_free(struct ioasid_set *set, ioasid_t id)
{
	XA_STATE(xas, &ioasid_xa, id);
	struct ioasid_data *data;
	unsigned long flags;
	int ret;

	if (!set)
		return -EINVAL;

	ioasid_lock_irqsave(flags);
	data = ioasid_lookup_locked(&xas, set, &ret);
	if (!data) {
		ioasid_unlock_irqrestore(flags);
		return ret;
	}
	ioasid_unpublish_locked(&xas, data);
	list_del(&data->set_node);
	ioasid_unlock_irqrestore(flags);
	/* @rcu takes the room of @set_node, which no lookup reads */
	call_rcu(&data->rcu, ioasid_data_free_rcu);
	return 0;
}
EXPORT_SYMBOL_GPL(ioasid_free);

/*
 * How many IDs ioasid_set_free() takes out of the ID space with the lock
 * held and interrupts off, and how many its worker frees between two
 * chances to reschedule: a few microseconds of work natively
 */
#define IOASID_FREE_BATCH	32

/*
 * After a grace period, in process context: free the IDs ioasid_set_free()
 * took out, then drop the owner's reference. One grace period and one
 * worker for the whole set, rather than a callback per ID that RCU would
 * run in a softirq, with no chance to reschedule.
 */
static void ioasid_set_free_work(struct work_struct *work)
{
	struct ioasid_set *set = container_of(to_rcu_work(work),
					      struct ioasid_set, free_work);
	struct ioasid_data *data, *next;
	unsigned int n = 0;

	list_for_each_entry_safe(data, next, &set->freed, set_node) {
		kmem_cache_free(ioasid_cache, data);
		if (!(++n % IOASID_FREE_BATCH))
			cond_resched();
	}
	ioasid_set_put(set);
}

/*
 * Free @set and its IDs: take them out of the ID space IOASID_FREE_BATCH at
 * a time, dropping the lock between batches (with @may_sleep the CPU is
 * also offered to others), so a set of 100,000 IDs freed when its file is
 * closed or its process killed holds up no one; their memory goes in
 * ioasid_set_free_work(). IDs freed by their owner meanwhile leave the list.
 */
static void __ioasid_set_free(struct ioasid_set *set, bool may_sleep)
{
	XA_STATE(xas, &ioasid_xa, 0);
	struct ioasid_data *data;
	unsigned long flags;
	unsigned int n = 0;

	ioasid_lock_irqsave(flags);
	if (set->dead) {
		ioasid_unlock_irqrestore(flags);
		return;
	}
	set->dead = true;

	while ((data = list_first_entry_or_null(&set->ids, struct ioasid_data,
						set_node))) {
		xas_set(&xas, data->id);
		ioasid_unpublish_locked(&xas, data);
		list_move(&data->set_node, &set->freed);
		if (++n % IOASID_FREE_BATCH)
			continue;
		ioasid_unlock_irqrestore(flags);
		if (may_sleep)
			cond_resched();
		ioasid_lock_irqsave(flags);
	}
	ioasid_unlock_irqrestore(flags);

	INIT_RCU_WORK(&set->free_work, ioasid_set_free_work);
	queue_rcu_work(system_wq, &set->free_work);
}

/**
 * ioasid_set_free() - Free a set and every ID it holds
 * @set: the set, from ioasid_set_alloc()
 *
 * No ID can be allocated into @set any more, and each of its IDs is freed
 * as by ioasid_free(). The owner's reference is dropped: @set must not be
 * used after this returns unless the caller holds another reference.
 *
 * Context: process; may sleep between IDs.
 */
void ioasid_set_free(struct ioasid_set *set)
{
	might_sleep();
	__ioasid_set_free(set, true);
}
EXPORT_SYMBOL_GPL(ioasid_set_free);

/**
 * ioasid_set_free_atomic() - Free a set of a few IDs from atomic context
 * @set: the set, from ioasid_set_alloc()
 *
 * As ioasid_set_free(), without sleeping, for a set whose quota is small:
 * an mm's, freed from __mmdrop().
 *
 * Context: any; does not sleep.
 */
void ioasid_set_free_atomic(struct ioasid_set *set)
{
	__ioasid_set_free(set, false);
}
EXPORT_SYMBOL_GPL(ioasid_set_free_atomic);

/**
 * ioasid_find_type() - Find a live IOASID in any set of one type
 * @type:	the type the ID's set must have
 * @id:		the ID
 * @getter:	if not NULL, called on the private data under RCU, typically
 *		to take a reference to it; if it fails NULL is returned
 *
 * The SVA library finds the mm of a PASID this way, without knowing its set.
 *
 * Context: any; lockless (RCU).
 * Return: the private data; NULL if @getter failed; ERR_PTR(-ENOENT) if
 * @id is not live; ERR_PTR(-EACCES) if its set is of another type.
 */
void *ioasid_find_type(enum ioasid_set_type type, ioasid_t id,
		       bool (*getter)(void *))
{
	struct ioasid_data *data;
	void *priv;

	rcu_read_lock();
	data = xa_load(&ioasid_xa, id);
	if (!data) {
		priv = ERR_PTR(-ENOENT);
	} else if (data->type != type) {
		priv = ERR_PTR(-EACCES);
	} else {
		priv = rcu_dereference(data->private);
		if (getter && !getter(priv))
			priv = NULL;
	}
	rcu_read_unlock();
	return priv;
}
EXPORT_SYMBOL_GPL(ioasid_find_type);

/**
 * ioasid_attach_spid() - Attach a set-private ID to an IOASID
 * @set:	the set of the ID
 * @id:		the host ID
 * @spid:	the set-private ID, e.g. the guest's PASID for @id
 *
 * An SPID is unique within its set and an ID has at most one.
 *
 * Context: process context for a charged set, which may sleep; any
 * context, without sleeping, for another.
 * Return: 0 on success; -EINVAL without a set or for %INVALID_IOASID;
 * -ENOENT if @id is not live; -EACCES if it is not in @set; -EBUSY if @id
 * has an SPID already; -EEXIST if @spid is in use in @set; -ENOMEM.
 */
int ioasid_attach_spid(struct ioasid_set *set, ioasid_t id, ioasid_t spid)
{
	XA_STATE(xas, &ioasid_xa, id);
	struct ioasid_data *data;
	unsigned long flags;
	int ret = 0, reserved;

	if (!set || !pasid_valid(spid))
		return -EINVAL;

	might_sleep_if(set->flags & IOASID_SET_CHARGED);
	reserved = ioasid_spid_reserve(set, spid);

	/* What is wrong with @id is reported before what is with @spid */
	ioasid_lock_irqsave(flags);
	data = ioasid_lookup_locked(&xas, set, &ret);
	if (data && pasid_valid(data->spid))
		ret = -EBUSY;
	if (!ret)
		ret = reserved;
	if (ret) {
		ioasid_unlock_irqrestore(flags);
		if (!reserved)
			ioasid_spid_unreserve(set, spid);
		return ret;
	}
	/* Into the reserved slot: nothing to allocate */
	xa_store(&set->spid_xa, spid, data, GFP_ATOMIC);
	ioasid_count_locked(data, -1);
	data->spid = spid;
	ioasid_count_locked(data, 1);
	ioasid_unlock_irqrestore(flags);
	return 0;
}
EXPORT_SYMBOL_GPL(ioasid_attach_spid);

/**
 * ioasid_detach_spid() - Detach the set-private ID of an IOASID
 * @set:	the set of the ID
 * @id:		the host ID
 *
 * Context: any; does not sleep.
 * Return: 0 on success; -EINVAL without a set; -ENOENT if @id is not live
 * or has no SPID; -EACCES if it is not in @set.
 */
int ioasid_detach_spid(struct ioasid_set *set, ioasid_t id)
{
	XA_STATE(xas, &ioasid_xa, id);
	struct ioasid_data *data;
	unsigned long flags;
	int ret = 0;

	if (!set)
		return -EINVAL;

	ioasid_lock_irqsave(flags);
	data = ioasid_lookup_locked(&xas, set, &ret);
	if (data && !pasid_valid(data->spid))
		ret = -ENOENT;
	if (ret) {
		ioasid_unlock_irqrestore(flags);
		return ret;
	}
	xa_erase(&set->spid_xa, data->spid);
	ioasid_count_locked(data, -1);
	data->spid = INVALID_IOASID;
	ioasid_count_locked(data, 1);
	ioasid_unlock_irqrestore(flags);
	return 0;
}
EXPORT_SYMBOL_GPL(ioasid_detach_spid);

/**
 * ioasid_find_by_spid() - Find the host IOASID of a set-private ID
 * @set:	the set
 * @spid:	the set-private ID
 *
 * Context: any; lockless (RCU).
 * Return: the host ID, or %INVALID_IOASID if @spid is not attached in @set.
 */
ioasid_t ioasid_find_by_spid(struct ioasid_set *set, ioasid_t spid)
{
	struct ioasid_data *data;
	ioasid_t id = INVALID_IOASID;

	if (!set || !pasid_valid(spid))
		return INVALID_IOASID;

	rcu_read_lock();
	data = xa_load(&set->spid_xa, spid);
	if (data)
		id = data->id;
	rcu_read_unlock();
	return id;
}
EXPORT_SYMBOL_GPL(ioasid_find_by_spid);

/**
 * ioasid_register_allocator() - Let the platform choose ID numbers
 * @ops: the platform allocator
 *
 * The first registered allocator is used; the others wait in line in case
 * it is unregistered (vIOMMU hot-unplug). Allocators that share functions
 * hand out numbers from one space, so IDs of one may be freed by the next.
 *
 * Return: 0 on success; -EEXIST if @ops is registered; -EAGAIN if IDs from
 * the core's own allocator are live.
 */
int ioasid_register_allocator(struct ioasid_allocator_ops *ops)
{
	struct ioasid_allocator_ops *cur;
	unsigned long flags;
	int ret = 0;

	ioasid_lock_irqsave(flags);
	list_for_each_entry(cur, &ioasid_allocators, list) {
		if (cur == ops) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	if (list_empty(&ioasid_allocators) && !xa_empty(&ioasid_xa)) {
		ret = -EAGAIN;
		goto out_unlock;
	}
	list_add_tail(&ops->list, &ioasid_allocators);
out_unlock:
	ioasid_unlock_irqrestore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(ioasid_register_allocator);

/**
 * ioasid_unregister_allocator() - Remove a platform allocator
 * @ops: as given to ioasid_register_allocator()
 *
 * The next allocator in line, or the core's own when there is none, serves
 * later allocations. IDs live at this point are released through whichever
 * allocator is active then.
 */
void ioasid_unregister_allocator(struct ioasid_allocator_ops *ops)
{
	struct ioasid_allocator_ops *cur;
	unsigned long flags;

	ioasid_lock_irqsave(flags);
	list_for_each_entry(cur, &ioasid_allocators, list) {
		if (cur == ops) {
			list_del(&ops->list);
			break;
		}
	}
	ioasid_unlock_irqrestore(flags);
}
EXPORT_SYMBOL_GPL(ioasid_unregister_allocator);

static int __init ioasid_cache_init(void)
{
	ioasid_cache = KMEM_CACHE(ioasid_data, SLAB_PANIC);
	return 0;
}
core_initcall(ioasid_cache_init);

#ifdef CONFIG_DEBUG_FS
static int ioasid_debugfs_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "capacity %u\nfree %u\n", ioasid_get_capacity(),
		   ioasid_get_free());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ioasid_debugfs);

static int __init ioasid_debugfs_init(void)
{
	debugfs_create_file("ioasid", 0444, NULL, NULL, &ioasid_debugfs_fops);
	return 0;
}
late_initcall(ioasid_debugfs_init);
#endif
