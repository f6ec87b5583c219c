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
#include <linux/spinlock.h>
#include <linux/xarray.h>

/**
 * struct ioasid_set - a group of IOASIDs with one owner
 * @token:	owner cookie; an mm_struct or a file for a process's set
 * @type:	what @token is
 * @flags:	%IOASID_SET_CHARGED or 0
 * @quota:	the most IDs the set may hold
 * @nr_ioasids:	IDs the set holds, and those being allocated into it
 * @dead:	ioasid_set_free() was called: no new IDs
 * @ref:	the owner's reference, and one per ID held
 * @ids:	the live IDs, in no particular order
 * @spid_xa:	set-private ID -> struct ioasid_data
 * @rcu:	the set is freed after a grace period
 *
 * @nr_ioasids, @dead and @ids are guarded by ioasid_lock. @token, @type,
 * @flags and @quota never change. @spid_xa is read under RCU. A slot of it
 * is reserved, as a zero entry that lookups do not see, before ioasid_lock
 * is taken, so that its nodes are allocated where a charged set's memory
 * cgroup may refuse them; it is filled and emptied under ioasid_lock, by
 * the ID's allocation, free or SPID change alone.
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
	struct rcu_head rcu;
};

/**
 * struct ioasid_data - one allocated IOASID
 * @id:		the ID
 * @spid:	set-private ID attached to it, or %INVALID_IOASID
 * @set:	the set the ID belongs to; holds a reference to it
 * @charge:	the ioasids cgroup charged for the ID, or NULL
 * @private:	the owner's data, read under RCU by ioasid_find_type()
 * @set_node:	entry in @set->ids
 * @rcu:	lookups run under RCU; the data is freed after a grace period
 *
 * @spid and @set_node are guarded by ioasid_lock. @id, @set and @charge
 * never change.
 */
struct ioasid_data {
	ioasid_t id;
	ioasid_t spid;
	struct ioasid_set *set;
	struct ioasids_cgroup *charge;
	void __rcu *private;
	struct list_head set_node;
	struct rcu_head rcu;
};

/*
 * ioasid_lock guards every change to the ID space: ioasid_xa, every set's
 * IDs, count and state, the capacity counters and the list of platform
 * allocators. It is taken with interrupts disabled because an mm's
 * PASID is freed from __mmdrop(), which may run in atomic context. Lookups
 * (ioasid_find_type(), ioasid_find_by_spid()) take no lock: an entry of
 * ioasid_xa is NULL while reserved, and IDs and sets are freed after an RCU
 * grace period.
 */
static DEFINE_SPINLOCK(ioasid_lock);
static DEFINE_XARRAY_ALLOC(ioasid_xa);		/* ID -> struct ioasid_data */
static LIST_HEAD(ioasid_allocators);		/* the first one is active */
static ioasid_t ioasid_capacity = IOASID_MAX_CAPACITY;
static ioasid_t ioasid_capacity_avail = IOASID_MAX_CAPACITY;

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

	spin_lock_irqsave(&ioasid_lock, flags);
	used = ioasid_capacity - ioasid_capacity_avail;
	if (total >= ioasid_capacity) {
		total = ioasid_capacity;
	} else if (used > total) {
		ret = -EBUSY;
	} else {
		ioasid_capacity = total;
		ioasid_capacity_avail = total - used;
	}
	spin_unlock_irqrestore(&ioasid_lock, flags);

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
	/*
	 * SPIDs are any 32-bit value: sparse ones cost a node each. An ID,
	 * and its SPID, may be freed in interrupt context.
	 */
	xa_init_flags(&set->spid_xa, XA_FLAGS_LOCK_IRQ |
		      (charged ? XA_FLAGS_ACCOUNT : 0));
	return set;
}
EXPORT_SYMBOL_GPL(ioasid_set_alloc);

/* Take a reference to a set the caller already holds a reference to */
static void ioasid_set_get(struct ioasid_set *set)
{
	refcount_inc(&set->ref);
}

/*
 * Drop a reference to a set: with the last one the set is freed, after an
 * RCU grace period. Any context; the caller may hold ioasid_lock.
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

static struct ioasid_allocator_ops *ioasid_active_allocator(void)
{
	lockdep_assert_held(&ioasid_lock);
	return list_first_entry_or_null(&ioasid_allocators,
					struct ioasid_allocator_ops, list);
}

/* Free a live ID: lookups stop finding it, and its number is reusable */
static void ioasid_release_locked(struct ioasid_data *data)
{
	struct ioasid_allocator_ops *ops = ioasid_active_allocator();
	struct ioasid_set *set = data->set;

	lockdep_assert_held(&ioasid_lock);
	if (pasid_valid(data->spid))
		xa_erase(&set->spid_xa, data->spid);
	xa_erase(&ioasid_xa, data->id);
	list_del(&data->set_node);
	set->nr_ioasids--;
	ioasid_capacity_avail++;
	if (ops)
		ops->free(data->id, ops->pdata);
	ioasids_uncharge(data->charge);
	ioasid_set_put(set);
	kfree_rcu(data, rcu);
}

/*
 * Reserve what an allocation into @set needs, or refuse it for what the
 * system lacks: a live set, room in its quota and in the capacity, and a
 * number in [@min, @max], reserved in ioasid_xa, where lookups do not see it
 * until ioasid_publish_locked(). The SPID's slot is reserved already.
 * Takes a reference to @set.
 */
static int ioasid_reserve_locked(struct ioasid_set *set,
				 struct ioasid_data *data,
				 ioasid_t min, ioasid_t max)
{
	struct ioasid_allocator_ops *ops = ioasid_active_allocator();
	ioasid_t pid;
	int ret;

	lockdep_assert_held(&ioasid_lock);
	if (set->dead)
		return -EINVAL;
	if (set->nr_ioasids >= set->quota)
		return -EDQUOT;
	if (!ioasid_capacity_avail)
		return -ENOSPC;

	if (ops) {
		pid = ops->alloc(min, max, ops->pdata);
		if (!pasid_valid(pid))
			return -ENOSPC;
		if (pid < min || pid > max)
			ret = -ENOSPC;
		else
			ret = xa_insert(&ioasid_xa, pid, NULL, GFP_ATOMIC);
		if (ret) {
			ops->free(pid, ops->pdata);
			return ret;
		}
		data->id = pid;
	} else {
		ret = xa_alloc(&ioasid_xa, &data->id, NULL, XA_LIMIT(min, max),
			       GFP_ATOMIC);
		if (ret)
			return ret == -EBUSY ? -ENOSPC : ret;
	}

	set->nr_ioasids++;
	ioasid_capacity_avail--;
	ioasid_set_get(set);
	return 0;
}

/* Undo ioasid_reserve_locked() */
static void ioasid_unreserve_locked(struct ioasid_data *data)
{
	struct ioasid_allocator_ops *ops = ioasid_active_allocator();
	struct ioasid_set *set = data->set;

	lockdep_assert_held(&ioasid_lock);
	xa_erase(&ioasid_xa, data->id);
	if (ops)
		ops->free(data->id, ops->pdata);
	set->nr_ioasids--;
	ioasid_capacity_avail++;
	ioasid_set_put(set);
}

/* Make a reserved ID visible. Storing into reserved slots cannot fail. */
static void ioasid_publish_locked(struct ioasid_data *data)
{
	lockdep_assert_held(&ioasid_lock);
	xa_store(&ioasid_xa, data->id, data, GFP_ATOMIC);
	if (pasid_valid(data->spid))
		xa_store(&data->set->spid_xa, data->spid, data, GFP_ATOMIC);
	list_add(&data->set_node, &data->set->ids);
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
 * whose nodes come from ioasid_gfp(), before ioasid_lock is taken. Freeing
 * an ID may erase its SPID in interrupt context, hence the irqsave lock.
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
	struct ioasids_cgroup *charge;
	struct ioasid_data *data;
	unsigned long flags;
	int ret;

	might_sleep_if(charged);
	data = kzalloc(sizeof(*data), ioasid_gfp(set));
	if (!data)
		return -ENOMEM;
	data->set = set;
	data->spid = spid;
	RCU_INIT_POINTER(data->private, private);

	if (pasid_valid(spid)) {
		ret = ioasid_spid_reserve(set, spid);
		if (ret)
			goto out_free;
	}

	/*
	 * What the system refuses is refused before the cgroup is charged,
	 * so that ioasids.peak and ioasids.events only ever count what the
	 * cgroup's limits decided.
	 */
	spin_lock_irqsave(&ioasid_lock, flags);
	ret = ioasid_reserve_locked(set, data, min, max);
	if (ret) {
		spin_unlock_irqrestore(&ioasid_lock, flags);
		goto out_spid;
	}
	/* Nothing to charge: publish under the same lock */
	if (!charged)
		goto publish;
	spin_unlock_irqrestore(&ioasid_lock, flags);

	charge = ioasids_try_charge();
	if (IS_ERR(charge)) {
		ret = PTR_ERR(charge);
		goto out_unreserve;
	}
	data->charge = charge;

	spin_lock_irqsave(&ioasid_lock, flags);
	/* ioasid_set_free() ran meanwhile and did not see this ID */
	if (set->dead) {
		ret = -EINVAL;
		spin_unlock_irqrestore(&ioasid_lock, flags);
		ioasids_uncharge(data->charge);
		goto out_unreserve;
	}
publish:
	ioasid_publish_locked(data);
	*id = data->id;
	spin_unlock_irqrestore(&ioasid_lock, flags);
	return 0;

out_unreserve:
	spin_lock_irqsave(&ioasid_lock, flags);
	ioasid_unreserve_locked(data);
	spin_unlock_irqrestore(&ioasid_lock, flags);
out_spid:
	if (pasid_valid(spid))
		ioasid_spid_unreserve(set, spid);
out_free:
	kfree(data);
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

/* Look up a live ID for its owner */
static struct ioasid_data *ioasid_lookup_locked(struct ioasid_set *set,
						ioasid_t id, int *err)
{
	struct ioasid_data *data;

	lockdep_assert_held(&ioasid_lock);
	data = xa_load(&ioasid_xa, id);
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
	struct ioasid_data *data;
	unsigned long flags;
	int ret;

	if (!set)
		return -EINVAL;

	spin_lock_irqsave(&ioasid_lock, flags);
	data = ioasid_lookup_locked(set, id, &ret);
	if (!data) {
		spin_unlock_irqrestore(&ioasid_lock, flags);
		return ret;
	}
	ioasid_release_locked(data);
	spin_unlock_irqrestore(&ioasid_lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(ioasid_free);

/*
 * How many IDs ioasid_set_free() frees with the lock held and interrupts
 * off: about 20 us of work natively
 */
#define IOASID_FREE_BATCH	32

/*
 * Free @set and its IDs, IOASID_FREE_BATCH at a time, dropping the lock
 * between batches; with @may_sleep the CPU is also offered to others, so a
 * set of 100,000 IDs freed when its file is closed or its process killed
 * holds up no one. IDs freed by their owner meanwhile leave the list.
 */
static void __ioasid_set_free(struct ioasid_set *set, bool may_sleep)
{
	struct ioasid_data *data;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&ioasid_lock, flags);
	if (set->dead) {
		spin_unlock_irqrestore(&ioasid_lock, flags);
		return;
	}
	set->dead = true;

	while ((data = list_first_entry_or_null(&set->ids, struct ioasid_data,
						set_node))) {
		ioasid_release_locked(data);
		if (++n % IOASID_FREE_BATCH)
			continue;
		spin_unlock_irqrestore(&ioasid_lock, flags);
		if (may_sleep)
			cond_resched();
		spin_lock_irqsave(&ioasid_lock, flags);
	}
	spin_unlock_irqrestore(&ioasid_lock, flags);

	ioasid_set_put(set);
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
	} else if (data->set->type != type) {
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
	struct ioasid_data *data;
	unsigned long flags;
	int ret = 0, reserved;

	if (!set || !pasid_valid(spid))
		return -EINVAL;

	might_sleep_if(set->flags & IOASID_SET_CHARGED);
	reserved = ioasid_spid_reserve(set, spid);

	/* What is wrong with @id is reported before what is with @spid */
	spin_lock_irqsave(&ioasid_lock, flags);
	data = ioasid_lookup_locked(set, id, &ret);
	if (data && pasid_valid(data->spid))
		ret = -EBUSY;
	if (!ret)
		ret = reserved;
	if (ret) {
		spin_unlock_irqrestore(&ioasid_lock, flags);
		if (!reserved)
			ioasid_spid_unreserve(set, spid);
		return ret;
	}
	/* Into the reserved slot: nothing to allocate */
	xa_store(&set->spid_xa, spid, data, GFP_ATOMIC);
	data->spid = spid;
	spin_unlock_irqrestore(&ioasid_lock, flags);
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
	struct ioasid_data *data;
	unsigned long flags;
	int ret = 0;

	if (!set)
		return -EINVAL;

	spin_lock_irqsave(&ioasid_lock, flags);
	data = ioasid_lookup_locked(set, id, &ret);
	if (data && !pasid_valid(data->spid))
		ret = -ENOENT;
	if (ret) {
		spin_unlock_irqrestore(&ioasid_lock, flags);
		return ret;
	}
	xa_erase(&set->spid_xa, data->spid);
	data->spid = INVALID_IOASID;
	spin_unlock_irqrestore(&ioasid_lock, flags);
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

	spin_lock_irqsave(&ioasid_lock, flags);
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
	spin_unlock_irqrestore(&ioasid_lock, flags);
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

	spin_lock_irqsave(&ioasid_lock, flags);
	list_for_each_entry(cur, &ioasid_allocators, list) {
		if (cur == ops) {
			list_del(&ops->list);
			break;
		}
	}
	spin_unlock_irqrestore(&ioasid_lock, flags);
}
EXPORT_SYMBOL_GPL(ioasid_unregister_allocator);

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
