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

/*
 * Take another reference to a set the case holds, to look at the set after
 * ioasid_set_free(); ioasid_set_put() drops it
 */
static void ioasid_set_get(struct ioasid_set *set)
{
	refcount_inc(&set->ref);
}

/* Give the capacity back as it was found; the test IDs are all freed. */
static void ioasid_test_capacity_reset(ioasid_t capacity)
{
	unsigned long flags;
	ioasid_t used;

	ioasid_lock_irqsave(flags);
	used = ioasid_capacity - ioasid_capacity_avail;
	ioasid_capacity = capacity;
	ioasid_capacity_avail = capacity - used;
	ioasid_unlock_irqrestore(flags);
}

struct ioasid_test_ctx {
	ioasid_t capacity;
	ioasid_t free_before;
};

static int ioasid_test_init(struct kunit *test)
{
	struct ioasid_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->capacity = ioasid_get_capacity();
	ctx->free_before = ioasid_get_free();
	test->priv = ctx;
	return 0;
}

static void ioasid_test_exit(struct kunit *test)
{
	struct ioasid_test_ctx *ctx = test->priv;

	ioasid_test_capacity_reset(ctx->capacity);
	/* Every case frees what it took: nothing leaks */
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), ctx->free_before);
}

/* The set of a live ID, with no reference taken: for a case that holds one */
static struct ioasid_set *ioasid_test_set_of(ioasid_t id)
{
	struct ioasid_data *data = xa_load(&ioasid_xa, id);

	return data ? data->set : NULL;
}

/*
 * Look an ID up in @set, or in any set for NULL: ioasid_find_type() with
 * the ID's own type, and -EACCES for an ID of another set
 */
static void *ioasid_test_find(struct ioasid_set *set, ioasid_t id,
			      bool (*getter)(void *))
{
	struct ioasid_set *owner = ioasid_test_set_of(id);

	if (owner && set && owner != set)
		return ERR_PTR(-EACCES);
	return ioasid_find_type(owner ? owner->type : IOASID_SET_TYPE_NULL,
				id, getter);
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
	struct ioasid_set *set;

	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_set_alloc(NULL, 0, IOASID_SET_TYPE_NULL, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_set_alloc(NULL, 1, 0, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_set_alloc(NULL, 1, IOASID_SET_TYPE_NR, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_set_alloc(NULL, 1, IOASID_SET_TYPE_MM, 0)), -EINVAL);
	set = ioasid_set_alloc(test, 1, IOASID_SET_TYPE_NULL, BIT(1));
	KUNIT_EXPECT_EQ(test, PTR_ERR(set), -EINVAL);

	set = ioasid_set_alloc(mm, 4, IOASID_SET_TYPE_MM, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(set));
	KUNIT_EXPECT_EQ(test, ioasid_set_quota(set), 4U);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);
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
	KUNIT_EXPECT_PTR_EQ(test, ioasid_test_find(set, id, NULL), (void *)&priv);
	KUNIT_EXPECT_PTR_EQ(test, ioasid_test_find(NULL, id, NULL), (void *)&priv);

	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_test_find(set, id, NULL)), -ENOENT);

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

	ioasid_test_capacity_reset(IOASID_MAX_CAPACITY);
	KUNIT_ASSERT_EQ(test, ioasid_set_capacity(used + 3), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_capacity(), used + 3);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), 3U);
	/* Each IOMMU driver may bound it; the smallest wins */
	KUNIT_EXPECT_EQ(test, ioasid_set_capacity(used + 4), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_capacity(), used + 3);
	KUNIT_EXPECT_EQ(test, ioasid_set_capacity(IOASID_MAX_CAPACITY), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_capacity(), used + 3);

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &ids[0]), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &ids[1]), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &ids[2]), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), 0U);
	/* At capacity: -ENOSPC, distinct from a set's -EDQUOT */
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 3U);

	/* Not below the IDs in use */
	KUNIT_EXPECT_EQ(test, ioasid_set_capacity(used + 2), -EBUSY);
	KUNIT_EXPECT_EQ(test, ioasid_get_capacity(), used + 3);

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
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_test_find(other, id, NULL)), -EACCES);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, T_MAX + 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), 0);
	/* Double free */
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);

	ioasid_set_free(other);
	ioasid_set_free(set);
}

static void ioasid_test_free_reuse(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8), *other = new_set(test, 8);
	ioasid_t free = ioasid_get_free();
	ioasid_t id, id2;
	int priv;

	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, &priv, &id), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - 1);
	/* Taken: the same number cannot be allocated twice */
	KUNIT_EXPECT_EQ(test, ioasid_alloc(other, id, id, NULL, &id2), -ENOSPC);

	/* Freed: not found, counted nowhere, its number free at once */
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_test_find(NULL, id, NULL)), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, id), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(other, id, id, NULL, &id2), 0);
	KUNIT_EXPECT_EQ(test, id2, id);
	KUNIT_EXPECT_NULL(test, ioasid_test_find(other, id2, NULL));
	KUNIT_EXPECT_EQ(test, ioasid_free(other, id2), 0);

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
	KUNIT_EXPECT_PTR_EQ(test, ioasid_test_find(set, id, ioasid_test_getter_ok), (void *)&a);
	KUNIT_EXPECT_PTR_EQ(test, ioasid_test_find(set, id, NULL), (void *)&a);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_test_find(set, T_MAX + 1, NULL)), -ENOENT);
	/* The getter refuses: NULL, not an error */
	KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &other), 0);
	KUNIT_EXPECT_NULL(test, ioasid_test_find(set, other, ioasid_test_getter_ok));
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
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5), INVALID_IOASID);

	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, a, 5), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5), a);
	/* Unique within the set, not across sets */
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, b, 5), -EEXIST);
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(other, c, 5), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(other, 5), c);
	/* One SPID per ID */
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, a, 6), -EBUSY);

	KUNIT_EXPECT_EQ(test, ioasid_detach_spid(set, a), 0);
	KUNIT_EXPECT_EQ(test, ioasid_detach_spid(set, a), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5), INVALID_IOASID);
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, b, 5), 0);

	/* Freeing an ID detaches its SPID */
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5), b);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, b), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5), INVALID_IOASID);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 1U);
	/* The freed ID's SPID can be attached again */
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, a, 5), 0);

	ioasid_set_free(other);
	ioasid_set_free(set);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5), INVALID_IOASID);
}

static void ioasid_test_alloc_spid(struct kunit *test)
{
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t free = ioasid_get_free();
	ioasid_t a, b;

	KUNIT_EXPECT_EQ(test, ioasid_alloc_spid(set, T_MIN, T_MAX, INVALID_IOASID, &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_alloc_spid(NULL, T_MIN, T_MAX, 5, &a), -EINVAL);
	KUNIT_ASSERT_EQ(test, ioasid_alloc_spid(set, T_MIN, T_MAX, 5, &a), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5), a);
	/* One SPID per ID: the ID has it already */
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(set, a, 6), -EBUSY);

	/* A taken SPID refuses the allocation, and nothing is left of it */
	KUNIT_EXPECT_EQ(test, ioasid_alloc_spid(set, T_MIN, T_MAX, 5, &b), -EEXIST);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 1U);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - 1);
	/* As does an exhausted range, which leaves the SPID free */
	KUNIT_EXPECT_EQ(test, ioasid_alloc_spid(set, a, a, 6, &b), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 6), INVALID_IOASID);
	KUNIT_ASSERT_EQ(test, ioasid_alloc_spid(set, T_MIN, T_MAX, 6, &b), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 6), b);

	KUNIT_EXPECT_EQ(test, ioasid_free(set, a), 0);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 5), INVALID_IOASID);
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

/*
 * What a driver's PASID manager relies on (amdgpu's): one charged set with
 * no token for every process, one uncharged for the driver, frees by
 * number that may come from a fence callback with interrupts off, and a
 * wrong set refused so that the free can try the other.
 */
static void ioasid_test_driver_sets(struct kunit *test)
{
	struct ioasid_set *uset, *kset = new_set(test, 4);
	ioasid_t free = ioasid_get_free(), u, k, id;
	unsigned long flags;
	int ret;

	uset = ioasid_set_alloc(NULL, 4, IOASID_SET_TYPE_NULL, IOASID_SET_CHARGED);
	KUNIT_ASSERT_FALSE(test, IS_ERR(uset));
	KUNIT_ASSERT_EQ(test, ioasid_alloc(uset, T_MIN, T_MIN, NULL, &u), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(kset, T_MIN, T_MIN + 1, NULL, &k), 0);
	KUNIT_EXPECT_EQ(test, k, (ioasid_t)(T_MIN + 1));
	if (IS_ENABLED(CONFIG_CGROUP_IOASIDS))
		KUNIT_EXPECT_NOT_NULL(test, ioasid_test_charge_of(u));
	KUNIT_EXPECT_NULL(test, ioasid_test_charge_of(k));

	/* A full range is refused before anything is taken: wrap around */
	KUNIT_EXPECT_EQ(test, ioasid_alloc(uset, T_MIN, T_MIN + 1, NULL, &id), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free - 2);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(uset), 1U);

	/* Freed by number through the wrong set: refused, still live */
	KUNIT_EXPECT_EQ(test, ioasid_free(uset, k), -EACCES);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(kset), 1U);

	/* From a fence callback: interrupts off, the charge goes with it */
	local_irq_save(flags);
	ret = ioasid_free(uset, u);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_test_charge_of(u)), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_free(kset, k), 0);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);

	ioasid_set_free(uset);
	ioasid_set_free(kset);
}

/* The counts of ioasid_count_kinds() less those of @base */
static void ioasid_test_kinds_since(const ioasid_t *base, ioasid_t *nr)
{
	int kind;

	ioasid_count_kinds(nr);
	for (kind = 0; kind < IOASID_NR_KINDS; kind++)
		nr[kind] -= base[kind];
}

/* Each kind of ID, and an SPID moving an ID to guest and back */
static void ioasid_test_kinds(struct kunit *test)
{
	ioasid_t base[IOASID_NR_KINDS], nr[IOASID_NR_KINDS], s, f, d, g;
	struct ioasid_set *mset, *fset, *dset = new_set(test, 4);

	mset = ioasid_set_alloc(test, 1, IOASID_SET_TYPE_MM, IOASID_SET_CHARGED);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mset));
	fset = ioasid_set_alloc(test, 4, IOASID_SET_TYPE_FILE, IOASID_SET_CHARGED);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fset));
	ioasid_count_kinds(base);

	KUNIT_ASSERT_EQ(test, ioasid_alloc(mset, T_MIN, T_MAX, NULL, &s), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(fset, T_MIN, T_MAX, NULL, &f), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(dset, T_MIN, T_MAX, NULL, &d), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc_spid(fset, T_MIN, T_MAX, 9, &g), 0);
	ioasid_test_kinds_since(base, nr);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_SVA], 1U);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_FILE], 1U);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_GUEST], 1U);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_DRIVER], 1U);

	/* An SPID makes any ID a guest's; a refused attach moves nothing */
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(fset, f, 9), -EEXIST);
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(fset, f, 5), 0);
	KUNIT_EXPECT_EQ(test, ioasid_attach_spid(dset, d, 5), 0);
	ioasid_test_kinds_since(base, nr);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_FILE], 0U);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_DRIVER], 0U);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_GUEST], 3U);
	KUNIT_EXPECT_EQ(test, ioasid_detach_spid(fset, f), 0);
	KUNIT_EXPECT_EQ(test, ioasid_detach_spid(fset, f), -ENOENT);
	ioasid_test_kinds_since(base, nr);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_FILE], 1U);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_GUEST], 2U);

	/* Freed one by one or with their set, each leaves its kind */
	KUNIT_EXPECT_EQ(test, ioasid_free(dset, d), 0);
	KUNIT_EXPECT_EQ(test, ioasid_free(fset, g), 0);
	ioasid_test_kinds_since(base, nr);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_GUEST], 0U);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_DRIVER], 0U);
	ioasid_set_free(fset);
	ioasid_set_free(mset);
	ioasid_set_free(dset);
	ioasid_test_kinds_since(base, nr);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_SVA], 0U);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_FILE], 0U);
}

/* What ioasid_set_show_ids() wrote for @set into a buffer of @size */
static char *ioasid_test_show(struct kunit *test, struct ioasid_set *set,
			      size_t size)
{
	struct seq_file m = { .size = size };

	m.buf = kunit_kzalloc(test, size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	ioasid_set_show_ids(&m, set);
	KUNIT_EXPECT_FALSE(test, seq_has_overflowed(&m));
	return m.buf;
}

static void ioasid_test_show_ids(struct kunit *test)
{
	struct ioasid_set *kset = new_set(test, 4), *uset;
	const char *cg = IS_ENABLED(CONFIG_CGROUP_IOASIDS) ? "/" : "-";
	char *want = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	ioasid_t id;

	KUNIT_ASSERT_NOT_NULL(test, want);

	uset = ioasid_set_alloc(test, 4, IOASID_SET_TYPE_FILE, IOASID_SET_CHARGED);
	KUNIT_ASSERT_FALSE(test, IS_ERR(uset));
	KUNIT_EXPECT_STREQ(test, ioasid_test_show(test, uset, PAGE_SIZE), "");

	/* Allocated out of order, shown in order; the task's cgroup: root */
	KUNIT_ASSERT_EQ(test, ioasid_alloc(uset, T_MIN + 2, T_MIN + 2, NULL, &id), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc(uset, T_MIN, T_MIN, NULL, &id), 0);
	KUNIT_ASSERT_EQ(test, ioasid_alloc_spid(uset, T_MIN + 1, T_MIN + 1, 7, &id), 0);
	snprintf(want, PAGE_SIZE, "ioasid:\t%u spid:- cgroup:%s\n"
		 "ioasid:\t%u spid:7 cgroup:%s\n"
		 "ioasid:\t%u spid:- cgroup:%s\n",
		 T_MIN, cg, T_MIN + 1, cg, T_MIN + 2, cg);
	KUNIT_EXPECT_STREQ(test, ioasid_test_show(test, uset, PAGE_SIZE), want);

	/* The kernel's IDs are charged to no cgroup */
	KUNIT_ASSERT_EQ(test, ioasid_alloc(kset, T_MAX, T_MAX, NULL, &id), 0);
	snprintf(want, PAGE_SIZE, "ioasid:\t%u spid:- cgroup:-\n", T_MAX);
	KUNIT_EXPECT_STREQ(test, ioasid_test_show(test, kset, PAGE_SIZE), want);

	ioasid_set_free(uset);
	ioasid_set_free(kset);
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
	struct ioasid_set *set = new_set(test, 8);
	ioasid_t free = ioasid_get_free();
	ioasid_t ids[3], id;
	int i;

	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &ids[i]), 0);
	KUNIT_ASSERT_EQ(test, ioasid_attach_spid(set, ids[1], 7), 0);
	KUNIT_ASSERT_EQ(test, ioasid_free(set, ids[2]), 0);

	ioasid_set_get(set);		/* to look at it afterwards */
	ioasid_set_free(set);

	/* Every ID and SPID gone, nothing counted, no ID for a dead set */
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 0U);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_test_find(NULL, ids[i], NULL)), -ENOENT);
	KUNIT_EXPECT_EQ(test, ioasid_find_by_spid(set, 7), INVALID_IOASID);
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MAX, NULL, &id), -EINVAL);
	KUNIT_EXPECT_EQ(test, ioasid_free(set, ids[0]), -ENOENT);
	/* A second free does nothing */
	ioasid_set_free(set);
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);

	ioasid_set_put(set);
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
	KUNIT_EXPECT_PTR_EQ(test, ioasid_test_find(set, id, NULL), NULL);
	/* The platform's ID outside the caller's range is refused */
	KUNIT_EXPECT_EQ(test, ioasid_alloc(set, T_MIN, T_MIN + 10, NULL, &id2), -ENOSPC);
	KUNIT_EXPECT_EQ(test, fake_platform.frees, 1);	/* the refused one */
	/* Given back to the platform when freed */
	KUNIT_ASSERT_EQ(test, ioasid_free(set, id), 0);
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
	set = ioasid_test_set_of(pasid);
	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_EXPECT_EQ(test, set->type, IOASID_SET_TYPE_MM);
	KUNIT_EXPECT_PTR_EQ(test, set->token, (void *)mm);
	KUNIT_EXPECT_EQ(test, ioasid_set_count(set), 1U);

	found = iommu_sva_find(pasid);
	KUNIT_EXPECT_PTR_EQ(test, found, mm);
	if (!IS_ERR_OR_NULL(found))
		mmput(found);

	/* The last reference to the mm releases its PASID */
	mmput(mm);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ioasid_test_find(NULL, pasid, NULL)), -ENOENT);
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
	set = ioasid_test_set_of(init_mm.pasid);
	KUNIT_ASSERT_NOT_NULL(test, set);
	/* The kernel's own PASID: charged to nobody, no cgroup pinned */
	KUNIT_EXPECT_EQ(test, set->flags & IOASID_SET_CHARGED, 0U);
	KUNIT_EXPECT_NULL(test, ioasid_test_charge_of(init_mm.pasid));
	mm_pasid_drop(&init_mm);
	KUNIT_EXPECT_FALSE(test, pasid_valid(init_mm.pasid));
	KUNIT_EXPECT_EQ(test, ioasid_get_free(), free);

	/* A process's PASID is charged */
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, iommu_sva_alloc_pasid(mm, T_MIN, T_MAX), 0);
	set = ioasid_test_set_of(mm->pasid);
	KUNIT_ASSERT_NOT_NULL(test, set);
	KUNIT_EXPECT_EQ(test, set->flags & IOASID_SET_CHARGED, IOASID_SET_CHARGED);
	if (IS_ENABLED(CONFIG_CGROUP_IOASIDS))
		KUNIT_EXPECT_NOT_NULL(test, ioasid_test_charge_of(mm->pasid));
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
	KUNIT_CASE(ioasid_test_free_reuse),
	KUNIT_CASE(ioasid_test_find_and_data),
	KUNIT_CASE(ioasid_test_spid),
	KUNIT_CASE(ioasid_test_alloc_spid),
	KUNIT_CASE(ioasid_test_charged_flag),
	KUNIT_CASE(ioasid_test_driver_sets),
	KUNIT_CASE(ioasid_test_kinds),
	KUNIT_CASE(ioasid_test_show_ids),
	KUNIT_CASE(ioasid_test_set_free_live),
	KUNIT_CASE(ioasid_test_set_free_large),
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
