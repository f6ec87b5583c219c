// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the ioasids controller's hierarchical charge. Included by
 * ioasids.c. The tests build chains of controller states linked through
 * css.parent, as cgroup_mkdir() would, without a cgroup filesystem: what is
 * tested is the accounting, not the cgroup core.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>

#define CHAIN_MAX 16

struct ioasids_test_chain {
	struct ioasids_cgroup cg[CHAIN_MAX + 1];	/* [0] is the root */
	int depth;
};

/* A chain root <- cg[1] <- ... <- cg[depth]; returns the leaf */
static struct ioasids_cgroup *chain_init(struct kunit *test,
					 struct ioasids_test_chain **chainp,
					 int depth)
{
	struct ioasids_test_chain *chain;
	int i;

	chain = kunit_kzalloc(test, sizeof(*chain), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, chain);
	chain->depth = depth;
	for (i = 0; i <= depth; i++) {
		struct ioasids_cgroup *cg = &chain->cg[i];

		/* No cgroup behind it: references are no-ops, no path to log */
		cg->css.flags = CSS_NO_REF;
		atomic_set(&cg->logged, 1);
		cg->css.parent = i ? &chain->cg[i - 1].css : NULL;
		atomic64_set(&cg->limit, IOASIDS_MAX);
	}
	*chainp = chain;
	return &chain->cg[depth];
}

static s64 cur(struct ioasids_cgroup *cg)
{
	return atomic64_read(&cg->counter);
}

static void ioasids_test_depths(struct kunit *test)
{
	struct ioasids_test_chain *chain;
	struct ioasids_cgroup *leaf;
	int depth, i, n;

	for (depth = 1; depth <= CHAIN_MAX; depth *= 2) {
		leaf = chain_init(test, &chain, depth);
		for (n = 0; n < 3; n++)
			KUNIT_ASSERT_EQ(test, ioasids_charge(leaf), 0);
		for (i = 1; i <= depth; i++)
			KUNIT_EXPECT_EQ(test, cur(&chain->cg[i]), 3);
		/* The root is not charged: its usage is the core's */
		KUNIT_EXPECT_EQ(test, cur(&chain->cg[0]), 0);

		/* A charge in the middle counts from there up */
		KUNIT_ASSERT_EQ(test, ioasids_charge(&chain->cg[1]), 0);
		KUNIT_EXPECT_EQ(test, cur(&chain->cg[1]), 4);
		KUNIT_EXPECT_EQ(test, cur(leaf), depth == 1 ? 4 : 3);
		ioasids_cancel(&chain->cg[1], NULL);

		for (n = 0; n < 3; n++)
			ioasids_cancel(leaf, NULL);
		for (i = 0; i <= depth; i++)
			KUNIT_EXPECT_EQ(test, cur(&chain->cg[i]), 0);
	}
}

static void ioasids_test_rollback(struct kunit *test)
{
	struct ioasids_test_chain *chain;
	struct ioasids_cgroup *leaf;
	int level, i;

	/* The limit at each level in turn refuses; nothing stays charged */
	for (level = 1; level <= 8; level++) {
		leaf = chain_init(test, &chain, 8);
		KUNIT_ASSERT_EQ(test, ioasids_charge(leaf), 0);
		atomic64_set(&chain->cg[level].limit, 1);

		KUNIT_EXPECT_EQ(test, ioasids_charge(leaf), -EDQUOT);
		for (i = 1; i <= 8; i++) {
			struct ioasids_cgroup *cg = &chain->cg[i];

			KUNIT_EXPECT_EQ(test, cur(cg), 1);
			/* Levels below the refusal saw the second charge */
			KUNIT_EXPECT_EQ(test, atomic64_read(&cg->peak),
					i > level ? 2 : 1);
			/* events: at the refusing level and above */
			KUNIT_EXPECT_EQ(test, atomic64_read(&cg->events),
					i <= level ? 1 : 0);
			/* events.local: only at the refusing level */
			KUNIT_EXPECT_EQ(test, atomic64_read(&cg->events_local),
					i == level ? 1 : 0);
		}
		ioasids_cancel(leaf, NULL);
		KUNIT_EXPECT_EQ(test, cur(&chain->cg[1]), 0);
	}
}

static void ioasids_test_limit_lowered(struct kunit *test)
{
	struct ioasids_test_chain *chain;
	struct ioasids_cgroup *leaf = chain_init(test, &chain, 2);
	int i;

	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, ioasids_charge(leaf), 0);
	/* Below usage: allowed, nothing taken back, new charges refused */
	atomic64_set(&leaf->limit, 1);
	KUNIT_EXPECT_EQ(test, cur(leaf), 3);
	KUNIT_EXPECT_EQ(test, ioasids_charge(leaf), -EDQUOT);
	ioasids_cancel(leaf, NULL);
	ioasids_cancel(leaf, NULL);
	KUNIT_EXPECT_EQ(test, ioasids_charge(leaf), -EDQUOT);
	ioasids_cancel(leaf, NULL);
	KUNIT_EXPECT_EQ(test, ioasids_charge(leaf), 0);
	KUNIT_EXPECT_EQ(test, ioasids_charge(leaf), -EDQUOT);
	/* A limit of 0 refuses everything */
	atomic64_set(&leaf->limit, 0);
	ioasids_cancel(leaf, NULL);
	KUNIT_EXPECT_EQ(test, ioasids_charge(leaf), -EDQUOT);
	KUNIT_EXPECT_EQ(test, atomic64_read(&leaf->events_local), 4);
	KUNIT_EXPECT_EQ(test, atomic64_read(&leaf->peak), 3);
	KUNIT_EXPECT_EQ(test, cur(leaf), 0);
	KUNIT_EXPECT_EQ(test, cur(&chain->cg[1]), 0);
}

static void ioasids_test_peak(struct kunit *test)
{
	struct ioasids_test_chain *chain;
	struct ioasids_cgroup *leaf = chain_init(test, &chain, 2);
	struct ioasids_cgroup *mid = &chain->cg[1];
	int i;

	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_EQ(test, ioasids_charge(leaf), 0);
	for (i = 0; i < 5; i++)
		ioasids_cancel(leaf, NULL);
	KUNIT_ASSERT_EQ(test, ioasids_charge(mid), 0);
	KUNIT_ASSERT_EQ(test, ioasids_charge(leaf), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&leaf->peak), 5);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mid->peak), 5);
	/* A refused charge leaves the counts as they were */
	atomic64_set(&mid->limit, 2);
	KUNIT_EXPECT_EQ(test, ioasids_charge(leaf), -EDQUOT);
	KUNIT_EXPECT_EQ(test, cur(leaf), 1);
	KUNIT_EXPECT_EQ(test, cur(mid), 2);
	KUNIT_EXPECT_EQ(test, atomic64_read(&leaf->peak), 5);
	ioasids_cancel(leaf, NULL);
	ioasids_cancel(mid, NULL);
}

static void ioasids_test_max_never_refuses(struct kunit *test)
{
	struct ioasids_test_chain *chain;
	struct ioasids_cgroup *leaf = chain_init(test, &chain, 2);
	const s64 n = (s64)IOASID_MAX_CAPACITY + 2;
	s64 i, refused = 0;

	/*
	 * More charges than the capacity can be in flight at once, each
	 * waiting for the core to refuse it: "max" lets every one through.
	 */
	for (i = 0; i < n; i++)
		refused += ioasids_charge(leaf) != 0;
	KUNIT_EXPECT_EQ(test, refused, 0);
	KUNIT_EXPECT_EQ(test, cur(leaf), n);
	KUNIT_EXPECT_EQ(test, atomic64_read(&chain->cg[1].events), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&leaf->peak), n);
	for (i = 0; i < n; i++)
		ioasids_cancel(leaf, NULL);
	KUNIT_EXPECT_EQ(test, cur(&chain->cg[1]), 0);
}

struct ioasids_test_racer {
	struct ioasids_cgroup *leaf;
	struct completion *go;
	int attempts;
	int charged;
	struct completion done;
};

static int ioasids_test_race_fn(void *arg)
{
	struct ioasids_test_racer *r = arg;
	int i;

	wait_for_completion(r->go);
	for (i = 0; i < r->attempts; i++) {
		if (!ioasids_charge(r->leaf))
			r->charged++;
		if (!(i % 64))
			cond_resched();
	}
	complete(&r->done);
	return 0;
}

static void ioasids_test_concurrent(struct kunit *test)
{
	struct ioasids_test_chain *chain;
	struct ioasids_cgroup *leaf = chain_init(test, &chain, 4);
	struct ioasids_cgroup *top = &chain->cg[1];
	struct ioasids_test_racer r[2];
	DECLARE_COMPLETION_ONSTACK(go);
	const int limit = 1000, attempts = 20000;
	struct task_struct *t;
	int i, total;

	atomic64_set(&top->limit, limit);
	for (i = 0; i < 2; i++) {
		r[i] = (struct ioasids_test_racer){
			.leaf = leaf, .go = &go, .attempts = attempts,
		};
		init_completion(&r[i].done);
		t = kthread_run(ioasids_test_race_fn, &r[i], "ioasids-test-%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	complete_all(&go);
	/* Limit writes race with the charges: lower, raise, settle */
	for (i = 0; i < 100; i++) {
		atomic64_set(&top->limit, i % 2 ? limit : limit / 2);
		cond_resched();
	}
	atomic64_set(&top->limit, limit);
	for (i = 0; i < 2; i++)
		wait_for_completion(&r[i].done);

	total = r[0].charged + r[1].charged;
	/* Every success is counted, nothing beyond the limit, no leak */
	KUNIT_EXPECT_LE(test, total, limit);
	KUNIT_EXPECT_EQ(test, cur(top), total);
	KUNIT_EXPECT_EQ(test, cur(leaf), total);
	KUNIT_EXPECT_EQ(test, atomic64_read(&top->events_local),
			2 * attempts - total);
	KUNIT_EXPECT_EQ(test, atomic64_read(&top->events), 2 * attempts - total);
	/* The refusals were the top's: not the leaf's, even hierarchically */
	KUNIT_EXPECT_EQ(test, atomic64_read(&leaf->events), 0);
	KUNIT_EXPECT_LE(test, atomic64_read(&top->peak), limit);
	for (i = 0; i < total; i++)
		ioasids_cancel(leaf, NULL);
	KUNIT_EXPECT_EQ(test, cur(top), 0);
}

/* ioasids.stat's counts go up the chain to the root's child; each kind apart */
static void ioasids_test_stat(struct kunit *test)
{
	struct ioasids_test_chain *chain;
	struct ioasids_cgroup *leaf = chain_init(test, &chain, 3);
	long nr[IOASID_NR_KINDS];
	int i, cpu;

	/* The root's counts are the core's: it has none here */
	for (i = 1; i <= 3; i++) {
		chain->cg[i].stat = alloc_percpu(struct ioasids_stat);
		KUNIT_ASSERT_TRUE(test, chain->cg[i].stat);
	}

	ioasids_mod_stat(leaf, IOASID_KIND_FILE, 1);
	ioasids_mod_stat(leaf, IOASID_KIND_FILE, 1);
	ioasids_mod_stat(&chain->cg[2], IOASID_KIND_GUEST, 1);
	/* An SPID attached: the leaf's ID moves from file to guest */
	ioasids_mod_stat(leaf, IOASID_KIND_FILE, -1);
	ioasids_mod_stat(leaf, IOASID_KIND_GUEST, 1);
	ioasids_mod_stat(NULL, IOASID_KIND_SVA, 1);

	for (i = 1; i <= 3; i++) {
		memset(nr, 0, sizeof(nr));
		ioasids_sum_stat(&chain->cg[i], nr);
		KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_FILE], 1L);
		KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_GUEST], i == 3 ? 1L : 2L);
		KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_SVA], 0L);
		KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_DRIVER], 0L);
	}

	/* Given back from another CPU: a CPU's count may go negative */
	cpu = cpumask_last(cpu_online_mask);
	per_cpu_ptr(leaf->stat, cpu)->nr[IOASID_KIND_FILE]--;
	memset(nr, 0, sizeof(nr));
	ioasids_sum_stat(leaf, nr);
	KUNIT_EXPECT_EQ(test, nr[IOASID_KIND_FILE], 0L);

	for (i = 1; i <= 3; i++)
		free_percpu(chain->cg[i].stat);
}

static struct kunit_case ioasids_test_cases[] = {
	KUNIT_CASE(ioasids_test_depths),
	KUNIT_CASE(ioasids_test_rollback),
	KUNIT_CASE(ioasids_test_limit_lowered),
	KUNIT_CASE(ioasids_test_peak),
	KUNIT_CASE(ioasids_test_max_never_refuses),
	KUNIT_CASE(ioasids_test_concurrent),
	KUNIT_CASE(ioasids_test_stat),
	{}
};

static struct kunit_suite ioasids_test_suite = {
	.name = "cgroup-ioasids",
	.test_cases = ioasids_test_cases,
};

kunit_test_suite(ioasids_test_suite);
