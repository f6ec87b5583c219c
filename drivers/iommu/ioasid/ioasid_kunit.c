// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the IOASID core. Included by ioasid.c so that the tests
 * can put the capacity back between cases and see whether a set is charged
 * and which cgroup an ID holds; they use only the exported API otherwise.
 */
#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

#if IS_ENABLED(CONFIG_IOASID_SVA_KUNIT_TEST)
#include "../iommu-sva-lib.h"
#endif

#define T_MIN	1000
#define T_MAX	1999

/* Give the capacity back as it was found; the test IDs are all freed. */
static void ioasid_test_capacity_reset(ioasid_t capacity, bool fixed)
{
	unsigned long flags;
	ioasid_t used;

	spin_lock_irqsave(&ioasid_lock, flags);
	used = ioasid_capacity - ioasid_capacity_avail;
	ioasid_capacity = capacity;
	ioasid_capacity_avail = capacity - used;
	ioasid_capacity_fixed = fixed;
	spin_unlock_irqrestore(&ioasid_lock, flags);
}

struct ioasid_test_ctx {
	ioasid_t capacity;
	bool fixed;
	ioasid_t free_before;
};

static int ioasid_test_init(struct kunit *test)
{
	struct ioasid_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->capacity = ioasid_get_capacity();
	ctx->fixed = ioasid_capacity_fixed;
	ctx->free_before = ioasid_get_free();
	test->priv = ctx;
	return 0;
}

static void ioasid_test_exit(struct kunit *test)
{
	struct ioasid_test_ctx *ctx = test->priv;

	ioasid_test_capacity_reset(ctx->capacity, ctx->fixed);
	/* Every case frees what it took: nothing leaks */
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), ctx->free_before);
}

static struct ioasid_set *new_set(struct kunit *test, ioasid_t quota)
{
	struct ioasid_set *set = ioasid_set_alloc(test, quota,
						  IOASID_SET_TYPE_NULL, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(set));
	return set;
}

static void ioasid_test_set_alloc_args(struct kunit *test)
{
	struct mm_struct *mm = (struct mm_struct *)test;	/* never dereferenced */
	struct ioasid_set *set, *found;

	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_set_alloc(NULL, 0, IOASID_SET_TYPE_NULL, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_set_alloc(NULL, 1, 0, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_set_alloc(NULL, 1, IOASID_SET_TYPE_NR, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_set_alloc(NULL, 1, IOASID_SET_TYPE_MM, 0)), -EINVAL);
	set = ioasid_set_alloc(test, 1, IOASID_SET_TYPE_NULL, BIT(1));
	KUNIT_EXPECT_EQ(test, PTR_ERR(set), -EINVAL);

	KUNIT_EXPECT_NULL(test, ioasid_find_mm_set(mm));
	set = ioasid_set_alloc(mm, 4, IOASID_SET_TYPE_MM, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(set));
	KUNIT_EXPECT_EQ(test, ioasid_set_quota(set), 4U);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_set_alloc(mm, 1, IOASID_SET_TYPE_MM, 0)), -EEXIST);

	found = ioasid_find_mm_set(mm);
	KUNIT_EXPECT_PTR_EQ(test, found, set);
	ioasid_set_put(found);

	ioasid_set_free(set);
	KUNIT_EXPECT_NULL(test, ioasid_find_mm_set(mm));

	/* The mm may have a new set once the old one is freed */
	set = ioasid_set_alloc(mm, 1, IOASID_SET_TYPE_MM, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(set));
	ioasid_set_free(set);
}

static void ioasid_test_alloc_free(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t free = ioasid_get_free();
	ioasid_t id = INVALID_IOASID;
	int priv;

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, &priv, &id), 0);
	KUNIT_EXPECT_GE(test, id, (ioasid_t)T_MIN);
	KUNIT_EXPECT_LE(test, id, (ioasid_t)T_MAX);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - 1);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 1U);
	KUNIT_EXPECT_PTR_EQ(test, ioasid_find(set, id, NULL), (void *)&priv);
	KUNIT_EXPECT_PTR_EQ(test, ioasid_find(NULL, id, NULL), (void *)&priv);

	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_find(set, id, NULL)), -ENOENT);

	ioasid_set_free(set);
}

static void ioasid_test_alloc_args(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t id;

	KUNIT_EXPECT_EQ(test, ioasid_alloc(NULL, T_MIN, T_MAX, NULL, &id), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MAX, T_MIN, NULL, &id), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, INVALID_IOASID, NULL, &id), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);

	/* A range of one ID is exhausted by one allocation */
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MIN, NULL, &id), 0);
	KUNIT_EXPECT_EQ(test, id, (ioasid_t)T_MIN);
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MIN, NULL, &id), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, T_MIN), 0);

	ioasid_set_free(set);
}

static void ioasid_test_dead_set(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t id;

	ioasid_set_get(set);
	ioasid_set_free(set);
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), -EINVAL);
	/* A second free is a no-op */
	ioasid_set_free(set);
	ioasid_set_put(set);
}

static void ioasid_test_quota(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 2);
	ioasid_t a, b, c;

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &a), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &b), 0);
	KUNIT_EXPECT_NE(test, a, b);
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &c), -EDQUOT);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 2U);

	KUNIT_EXPECT_EQ(test, ioasid_free(set, a), 0);
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &c), 0);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, b), 0);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, c), 0);
	ioasid_set_free(set);
}

static void ioasid_test_capacity(struct kunit *test)
{
	struct ioasid_test_ctx *ctx = test->priv;
	ioasid_t used = ctx->capacity - ctx->free_before;
	struct ioasid_set *set = new_set(test, 100);
	ioasid_t ids[3], id;

	KUNIT_EXPECT_EQ(test, ioasid_set_capacity(0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_set_capacity(IOASID_MAX_CAPACITY + 1), -EINVAL);

	ioasid_test_capacity_reset(IOASID_MAX_CAPACITY, false);
	KUNIT_ASSERT_EQ(test, ioasid_set_capacity(used + 3), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_capacity(), used + 3);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), 3U);
	/* Set once */
	KUNIT_EXPECT_EQ(test, ioasid_set_capacity(used + 4), -EBUSY);

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &ids[0]), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &ids[1]), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &ids[2]), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), 0U);
	/* At capacity: -ENOSPC, distinct from a set's -EDQUOT */
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 3U);

	/* Not below the IDs in use */
	ioasid_test_capacity_reset(used + 3, false);
	KUNIT_EXPECT_EQ(test, ioasid_set_capacity(used + 2), -EBUSY);

	KUNIT_EXPECT_EQ(test, ioasid_free(set, ids[0]), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), 1U);
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), 0);
	ioasid_set_free(set);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), 3U);
}

static void ioasid_test_free_errors(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8), *other = new_set(test, 8);
	ioasid_t id;

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_free(NULL, id), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_free(other, id), -EACCES);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_find(other, id, NULL)), -EACCES);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, T_MAX + 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), 0);
	/* Double free */
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);

	ioasid_set_free(other);
	ioasid_set_free(set);
}

static void ioasid_test_refcount(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8), *other = new_set(test, 8);
	ioasid_t free = ioasid_get_free();
	ioasid_t id, id2;

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), 0);
	/* Only the owner's reference: a put would drop it */
	KUNIT_EXPECT_EQ(test, ioasid_put(set, id), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_get(other, id), -EACCES);
	KUNIT_EXPECT_EQ(test, ioasid_get(NULL, id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get(set, id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_put(other, id), -EACCES);

	/* Free while referenced: free-pending, not found, not reusable */
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_find(NULL, id, NULL)), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), -ENOENT);
	/* A listener to the free may still take a reference */
	KUNIT_EXPECT_EQ(test, ioasid_get(NULL, id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_put(NULL, id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - 1);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 1U);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, id, id, NULL, &id2), -ENOSPC);

	KUNIT_EXPECT_EQ(test, ioasid_put(NULL, id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - 1);
	/* The last put releases it */
	KUNIT_EXPECT_EQ(test, ioasid_put(set, id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);
	/* Put and get after release */
	KUNIT_EXPECT_EQ(test, ioasid_put(set, id), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_get(set, id), -ENOENT);

	/* Released: the same number can be allocated again */
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, id, id, NULL, &id2), 0);
	KUNIT_EXPECT_EQ(test, id2, id);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id2), 0);

	ioasid_set_free(other);
	ioasid_set_free(set);
}

static bool ioasid_test_getter_ok(void *priv)
{
	return !!priv;
}

static void ioasid_test_find_and_data(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t id, other;
	int a;

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, &a, &id), 0);
	KUNIT_EXPECT_PTR_EQ(test, ioasid_find(set, id, ioasid_test_getter_ok), (void *)&a);
	KUNIT_EXPECT_PTR_EQ(test, ioasid_find(set, id, NULL), (void *)&a);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_find(set, T_MAX + 1, NULL)), -ENOENT);
	/* The getter refuses: NULL, not an error */
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &other), 0);
	KUNIT_EXPECT_NULL(test, ioasid_find(set, other, ioasid_test_getter_ok));
	KUNIT_EXPECT_EQ(test, ioasid_free(set, other), 0);

	/* By set type */
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_find_type(IOASID_SET_TYPE_MM, id, NULL)), -EACCES);
	KUNIT_EXPECT_PTR_EQ(test, ioasid_find_type(IOASID_SET_TYPE_NULL, id, NULL), (void *)&a);

	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), 0);
	ioasid_set_free(set);
}

static void ioasid_test_spid(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8), *other = new_set(test, 8);
	ioasid_t a, b, c;

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &a), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &b), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(other, T_MIN, T_MAX, NULL, &c), 0);

	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, a, INVALID_IOASID), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(NULL, a, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(other, a, 5), -EACCES);
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, T_MAX + 1, 5), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5, false), INVALID_IOASID);

	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, a, 5), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5, false), a);
	/* Unique within the set, not across sets */
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, b, 5), -EEXIST);
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(other, c, 5), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(other, 5, false), c);
	/* One SPID per ID */
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, a, 6), -EBUSY);

	KUNIT_EXPECT_EQ(test, ioasid_detach_spid(set, a), 0);
	KUNIT_EXPECT_EQ(test, ioasid_detach_spid(set, a), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5, false), INVALID_IOASID);
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, b, 5), 0);

	/* A reference through the SPID keeps the ID after its free */
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5, true), b);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, b), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5, false), INVALID_IOASID);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 2U);
	KUNIT_EXPECT_EQ(test, ioasid_put(NULL, b), 0);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 1U);
	/* The freed ID's SPID can be attached again */
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, a, 5), 0);

	ioasid_set_free(other);
	ioasid_set_free(set);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5, false), INVALID_IOASID);
}

static void ioasid_test_alloc_spid(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t free = ioasid_get_free();
	ioasid_t a, b;

	KUNIT_EXPECT_EQ(test, ioasid_alloc_spid(set, T_MIN, T_MAX, INVALID_IOASID, &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_alloc_spid(NULL, T_MIN, T_MAX, 5, &a), -EINVAL);
	KUNIT_ASSERT_EQ(test, ioasid_alloc_spid(set, T_MIN, T_MAX, 5, &a), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5, false), a);
	/* One SPID per ID: the ID has it already */
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, a, 6), -EBUSY);

	/* A taken SPID refuses the allocation, and nothing is left of it */
	KUNIT_EXPECT_EQ(test, ioasid_alloc_spid(set, T_MIN, T_MAX, 5, &b), -EEXIST);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 1U);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - 1);
	/* As does an exhausted range, which leaves the SPID free */
	KUNIT_EXPECT_EQ(test, ioasid_alloc_spid(set, a, a, 6, &b), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 6, false), INVALID_IOASID);
	KUNIT_ASSERT_EQ(test, ioasid_alloc_spid(set, T_MIN, T_MAX, 6, &b), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 6, false), b);

	KUNIT_EXPECT_EQ(test, ioasid_free(set, a), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5, false), INVALID_IOASID);
	ioasid_set_free(set);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);
}

/* The cgroup an ID is charged to, from the core's own record */
static struct ioasids_cgroup *ioasid_test_charge_of(ioasid_t id)
{
	struct ioasid_data *data = xa_load(&ioasid_xa, id);

	return data ? data->charge : ERR_PTR(-ENOENT);
}

static void ioasid_test_charged_flag(struct kunit *test)
{
	struct ioasid_set *kset = new_set(test, 2), *uset;
	ioasid_t k, u;

	uset = ioasid_set_alloc(test, 2, IOASID_SET_TYPE_FILE, IOASID_SET_CHARGED);
	KUNIT_ASSERT_FALSE(test, IS_ERR(uset));
	KUNIT_ASSERT_EQ(test, ioasid_alloc(kset, T_MIN, T_MAX, NULL, &k), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(uset, T_MIN, T_MAX, NULL, &u), 0);

	/* The kernel's set charges nobody and holds no cgroup */
	KUNIT_EXPECT_NULL(test, ioasid_test_charge_of(k));
	/* A task's set charges the task's cgroup (the root, here) */
	if (IS_ENABLED(CONFIG_CGROUP_IOASIDS))
		KUNIT_EXPECT_NOT_NULL(test, ioasid_test_charge_of(u));

	ioasid_set_free(uset);
	ioasid_set_free(kset);
}

#define NR_EVENTS 16

struct ioasid_test_events {
	struct notifier_block nb[3];
	int n;
	struct {
		int who;
		unsigned long val;
		struct ioasid_nb_args args;
		bool rcu_held;
	} ev[NR_EVENTS];
};

static struct ioasid_test_events *test_events;

static int ioasid_test_record(struct notifier_block *nb, unsigned long val,
			      void *data)
{
	struct ioasid_test_events *e = test_events;
	int who = nb - e->nb;

	if (e->n < NR_EVENTS) {
		e->ev[e->n].who = who;
		e->ev[e->n].val = val;
		e->ev[e->n].args = *(struct ioasid_nb_args *)data;
		e->ev[e->n].rcu_held = rcu_read_lock_held();
	}
	e->n++;
	return NOTIFY_OK;
}

static void ioasid_test_notify(struct kunit *test)
{
	struct ioasid_test_events *e;
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t id;
	int i, priv;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	test_events = e;
	for (i = 0; i < 3; i++)
		e->nb[i].notifier_call = ioasid_test_record;
	e->nb[0].priority = IOASID_PRIO_DEVICE;	/* global */
	e->nb[1].priority = IOASID_PRIO_IOMMU;	/* on the set */
	e->nb[2].priority = 20;			/* global, between */
	KUNIT_ASSERT_EQ(test, ioasid_register_notifier(NULL, &e->nb[0]), 0);
	KUNIT_ASSERT_EQ(test, ioasid_register_notifier(set, &e->nb[1]), 0);
	KUNIT_ASSERT_EQ(test, ioasid_register_notifier(NULL, &e->nb[2]), 0);

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, &priv, &id), 0);
	KUNIT_ASSERT_EQ(test, ioasid_attach_spid(set, id, 42), 0);
	KUNIT_ASSERT_EQ(test, ioasid_detach_spid(set, id), 0);
	KUNIT_ASSERT_EQ(test, ioasid_attach_spid(set, id, 43), 0);
	KUNIT_ASSERT_EQ(test, ioasid_free(set, id), 0);

	ioasid_unregister_notifier(NULL, &e->nb[0]);
	ioasid_unregister_notifier(set, &e->nb[1]);
	ioasid_unregister_notifier(NULL, &e->nb[2]);
	ioasid_set_free(set);

	KUNIT_ASSERT_EQ(test, e->n, 15);
	for (i = 0; i < e->n; i++) {
		static const int order[] = { 1, 2, 0 };
		static const unsigned long vals[] = {
			IOASID_NOTIFY_ALLOC, IOASID_NOTIFY_BIND,
			IOASID_NOTIFY_UNBIND, IOASID_NOTIFY_BIND,
			IOASID_NOTIFY_FREE,
		};
		static const ioasid_t spids[] = {
			INVALID_IOASID, 42, 42, 43, 43,
		};

		/* IOMMU (on the set) before CPU before device (global) */
		KUNIT_EXPECT_EQ(test, e->ev[i].who, order[i % 3]);
		KUNIT_EXPECT_EQ(test, e->ev[i].val, vals[i / 3]);
		KUNIT_EXPECT_EQ(test, e->ev[i].args.id, id);
		KUNIT_EXPECT_EQ(test, e->ev[i].args.spid, spids[i / 3]);
		KUNIT_EXPECT_PTR_EQ(test, e->ev[i].args.set, set);
		KUNIT_EXPECT_PTR_EQ(test, e->ev[i].args.pdata, (void *)&priv);
		/* Delivered in atomic context, under RCU */
		KUNIT_EXPECT_TRUE(test, e->ev[i].rcu_held);
	}
	test_events = NULL;
}

static void ioasid_test_set_free_large(struct kunit *test)
{
	const ioasid_t n = 100000;
	struct ioasid_set *set = new_set(test, n);
	ioasid_t free = ioasid_get_free(), i, id;
	u64 t0;

	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, ioasid_alloc(set, 1, 2 * n, NULL, &id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), n);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - n);

	/* What closing a file of 100,000 IDs costs, rescheduling between */
	t0 = ktime_get_ns();
	ioasid_set_free(set);
	kunit_info(test, "freed %u IDs in %llu us\n", n,
		   div_u64(ktime_get_ns() - t0, NSEC_PER_USEC));
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);
}

static void ioasid_test_set_free_live(struct kunit *test)
{
	struct ioasid_test_events *e;
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t free = ioasid_get_free();
	ioasid_t ids[3];
	int i, n_free = 0, n_set_free = 0;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	test_events = e;
	e->nb[0].notifier_call = ioasid_test_record;

	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &ids[i]), 0);
	KUNIT_ASSERT_EQ(test, ioasid_get(NULL, ids[1]), 0);
	KUNIT_ASSERT_EQ(test, ioasid_register_notifier(set, &e->nb[0]), 0);

	ioasid_set_get(set);		/* to look at it afterwards */
	ioasid_set_free(set);

	for (i = 0; i < e->n && i < NR_EVENTS; i++) {
		if (e->ev[i].val == IOASID_NOTIFY_SET_FREE) {
			KUNIT_EXPECT_EQ(test, i, 0);
			n_set_free++;
		} else if (e->ev[i].val == IOASID_NOTIFY_FREE) {
			n_free++;
		}
	}
	KUNIT_EXPECT_EQ(test, n_set_free, 1);
	KUNIT_EXPECT_EQ(test, n_free, 3);
	/* The referenced ID is free-pending, the others released */
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 1U);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_find(NULL, ids[1], NULL)), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_put(NULL, ids[1]), 0);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);

	ioasid_unregister_notifier(set, &e->nb[0]);
	ioasid_set_put(set);
	test_events = NULL;
}

struct ioasid_test_work {
	struct work_struct work;
	int ran;
};

static void ioasid_test_workqueue_fn(struct work_struct *work)
{
	struct ioasid_test_work *w = container_of(work, struct ioasid_test_work,
						  work);

	/* Process context, on a workqueue worker */
	WRITE_ONCE(w->ran, (current->flags & PF_WQ_WORKER) ? 1 : -1);
}

static void ioasid_test_workqueue(struct kunit *test)
{
	struct ioasid_test_work w = { .ran = 0 };

	INIT_WORK_ONSTACK(&w.work, ioasid_test_workqueue_fn);
	KUNIT_EXPECT_TRUE(test, ioasid_queue_work(&w.work));
	flush_work(&w.work);
	KUNIT_EXPECT_EQ(test, READ_ONCE(w.ran), 1);
	destroy_work_on_stack(&w.work);
}

static struct {
	ioasid_t next;
	int allocs;
	int frees;
} fake_platform;

static ioasid_t ioasid_test_platform_alloc(ioasid_t min, ioasid_t max, void *pdata)
{
	/* Like a host that ignores the guest's range */
	fake_platform.allocs++;
	return fake_platform.next++;
}

static void ioasid_test_platform_free(ioasid_t id, void *pdata)
{
	fake_platform.frees++;
}

static void ioasid_test_allocator(struct kunit *test)
{
	struct ioasid_allocator_ops ops = {
		.alloc = ioasid_test_platform_alloc,
		.free = ioasid_test_platform_free,
		.pdata = test,
	};
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t id, id2;

	fake_platform.next = T_MIN + 500;
	fake_platform.allocs = 0;
	fake_platform.frees = 0;

	/* Not while the core's own allocator has live IDs */
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_register_allocator(&ops), -EAGAIN);
	KUNIT_ASSERT_EQ(test, ioasid_free(set, id), 0);

	KUNIT_ASSERT_EQ(test, ioasid_register_allocator(&ops), 0);
	KUNIT_EXPECT_EQ(test, ioasid_register_allocator(&ops), -EEXIST);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), 0);
	KUNIT_EXPECT_EQ(test, id, (ioasid_t)(T_MIN + 500));
	KUNIT_EXPECT_EQ(test, fake_platform.allocs, 1);
	KUNIT_EXPECT_PTR_EQ(test, ioasid_find(set, id, NULL), NULL);
	/* The platform's ID outside the caller's range is refused */
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MIN + 10, NULL, &id2), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ioasid_get(NULL, id), 0);
	KUNIT_ASSERT_EQ(test, ioasid_free(set, id), 0);
	/* Given back to the platform only on release */
	KUNIT_EXPECT_EQ(test, fake_platform.frees, 1);	/* the refused one */
	KUNIT_ASSERT_EQ(test, ioasid_put(NULL, id), 0);
	KUNIT_EXPECT_EQ(test, fake_platform.frees, 2);

	ioasid_unregister_allocator(&ops);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), 0);
	KUNIT_EXPECT_EQ(test, fake_platform.allocs, 2);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), 0);
	ioasid_set_free(set);
}

#if IS_ENABLED(CONFIG_IOASID_SVA_KUNIT_TEST)
static void ioasid_test_sva_pasid(struct kunit *test)
{
	ioasid_t free = ioasid_get_free();
	struct ioasid_set *set;
	struct mm_struct *mm, *found;
	ioasid_t pasid;

	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_FALSE(test, pasid_valid(mm->pasid));

	KUNIT_EXPECT_EQ(test, iommu_sva_alloc_pasid(mm, 0, T_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_sva_alloc_pasid(mm, T_MAX, T_MIN), -EINVAL);
	KUNIT_ASSERT_EQ(test, iommu_sva_alloc_pasid(mm, T_MIN, T_MAX), 0);
	pasid = mm->pasid;
	KUNIT_EXPECT_GE(test, pasid, (ioasid_t)T_MIN);
	KUNIT_EXPECT_LE(test, pasid, (ioasid_t)T_MAX);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - 1);

	/* One PASID per mm, in the mm's own set */
	KUNIT_EXPECT_EQ(test, iommu_sva_alloc_pasid(mm, T_MIN, T_MAX), 0);
	KUNIT_EXPECT_EQ(test, mm->pasid, pasid);
	KUNIT_EXPECT_EQ(test, iommu_sva_alloc_pasid(mm, pasid + 1, T_MAX + 10), -EOVERFLOW);
	set = ioasid_find_mm_set(mm);
	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 1U);
	ioasid_set_put(set);

	found = iommu_sva_find(pasid);
	KUNIT_EXPECT_PTR_EQ(test, found, mm);
	if (!IS_ERR_OR_NULL(found))
		mmput(found);

	/* The last reference to the mm releases its PASID */
	mmput(mm);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_find(NULL, pasid, NULL)), -ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(iommu_sva_find(pasid)), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);
}

static void ioasid_test_sva_kernel_pasid(struct kunit *test)
{
	ioasid_t free = ioasid_get_free();
	struct ioasid_set *set;
	struct mm_struct *mm;

	/* A driver binding init_mm (idxd's supervisor PASID) got there first */
	if (pasid_valid(init_mm.pasid))
		kunit_skip(test, "init_mm has a PASID already");

	KUNIT_ASSERT_EQ(test, iommu_sva_alloc_pasid(&init_mm, T_MIN, T_MAX), 0);
	set = ioasid_find_mm_set(&init_mm);
	KUNIT_ASSERT_NOT_NULL(test, set);
	/* The kernel's own PASID: charged to nobody, no cgroup pinned */
	KUNIT_EXPECT_EQ(test, set->flags & IOASID_SET_CHARGED, 0U);
	KUNIT_EXPECT_NULL(test, ioasid_test_charge_of(init_mm.pasid));
	ioasid_set_put(set);
	mm_pasid_drop(&init_mm);
	KUNIT_EXPECT_FALSE(test, pasid_valid(init_mm.pasid));
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);

	/* A process's PASID is charged */
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, iommu_sva_alloc_pasid(mm, T_MIN, T_MAX), 0);
	set = ioasid_find_mm_set(mm);
	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_EXPECT_EQ(test, set->flags & IOASID_SET_CHARGED, IOASID_SET_CHARGED);
	if (IS_ENABLED(CONFIG_CGROUP_IOASIDS))
		KUNIT_EXPECT_NOT_NULL(test, ioasid_test_charge_of(mm->pasid));
	ioasid_set_put(set);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);
}

static void ioasid_test_sva_find_other_sets(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 1);
	ioasid_t id;
	int priv;

	/* A PASID of a kernel set is not an mm's */
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, &priv, &id), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(iommu_sva_find(id)), -EACCES);
	ioasid_set_free(set);
}
#endif

static struct kunit_case ioasid_test_cases[] = {
	KUNIT_CASE(ioasid_test_set_alloc_args),
	KUNIT_CASE(ioasid_test_alloc_free),
	KUNIT_CASE(ioasid_test_alloc_args),
	KUNIT_CASE(ioasid_test_dead_set),
	KUNIT_CASE(ioasid_test_quota),
	KUNIT_CASE(ioasid_test_capacity),
	KUNIT_CASE(ioasid_test_free_errors),
	KUNIT_CASE(ioasid_test_refcount),
	KUNIT_CASE(ioasid_test_find_and_data),
	KUNIT_CASE(ioasid_test_spid),
	KUNIT_CASE(ioasid_test_alloc_spid),
	KUNIT_CASE(ioasid_test_charged_flag),
	KUNIT_CASE(ioasid_test_notify),
	KUNIT_CASE(ioasid_test_set_free_live),
	KUNIT_CASE(ioasid_test_set_free_large),
	KUNIT_CASE(ioasid_test_workqueue),
	KUNIT_CASE(ioasid_test_allocator),
#if IS_ENABLED(CONFIG_IOASID_SVA_KUNIT_TEST)
	KUNIT_CASE(ioasid_test_sva_pasid),
	KUNIT_CASE(ioasid_test_sva_find_other_sets),
	KUNIT_CASE(ioasid_test_sva_kernel_pasid),
#endif
	{}
};

static struct kunit_suite ioasid_test_suite = {
	.name = "ioasid",
	.init = ioasid_test_init,
	.exit = ioasid_test_exit,
	.test_cases = ioasid_test_cases,
};

kunit_test_suite(ioasid_test_suite);
