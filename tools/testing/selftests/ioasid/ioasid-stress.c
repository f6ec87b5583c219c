// SPDX-License-Identifier: GPL-2.0
/*
 * ioasid-stress: a bounded stress run of /dev/ioasid under the ioasids
 * cgroup controller.
 *
 * Holder processes take and release IDs (and attach, find and detach SPIDs)
 * on their own /dev/ioasid file, each keeping a random number held, while
 * the parent creates and removes child cgroups of CGROUP, moves the holders
 * between them, lowers and raises ioasids.max on the children and on
 * CGROUP, and kills holders with SIGKILL at random moments, starting new
 * ones in their place. After --seconds or --ops the holders stop, are
 * killed, and the children are removed. Then:
 *
 *  - CGROUP's ioasids.current is 0, the system's free count (debugfs
 *    "ioasid" and IOASID_GET_INFO) equals its capacity, and CGROUP has no
 *    dying descendant;
 *  - the refusals (EDQUOT) the holders saw match the growth of CGROUP's
 *    ioasids.events "max", which counts every refusal in its subtree: exactly
 *    if no kill landed while a holder was between IOASID_ALLOC and counting
 *    its result, else seen <= events <= seen + such kills;
 *  - that growth equals the sum of the growth of ioasids.events.local of
 *    CGROUP and of every child (read when it is removed);
 *  - no call failed with anything but EDQUOT from IOASID_ALLOC.
 *
 * CGROUP must exist with +ioasids in its cgroup.subtree_control and no
 * process in it; run as root. Prints one block of figures; exits 1 on any
 * mismatch or unexpected error, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/compiler.h>
#include <linux/ioasid.h>

#include "rnd.h"

#define MAX_HOLDERS	64
#define MAX_CGROUPS	16
#define MAX_HOLD	64
#define SPID_LIMIT	0x100000

static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "shared counters need lock-free atomics");
static_assert(ATOMIC_INT_LOCK_FREE == 2, "shared flags need lock-free atomics");

/* What a holder is doing, for the parent to see when it kills it */
enum { IDLE, IN_ALLOC, IN_OTHER };

/* One holder, shared with the parent */
struct slot {
	atomic_int go;		/* the parent has put it in its cgroup */
	atomic_int inflight;	/* IN_*: between an ioctl and counting its result */
	atomic_int parked;	/* stopped; holds @held IDs until killed */
	atomic_int held;
};

/* In a MAP_SHARED mapping: the holders count, the parent reads */
struct shared {
	atomic_int stop;
	atomic_ullong ops;
	atomic_ullong allocs;
	atomic_ullong frees;
	atomic_ullong refusals;
	atomic_ullong spid_ops;
	atomic_ullong errors;
	atomic_int err_claimed;
	char err[256];
	struct slot slot[MAX_HOLDERS];
};

struct child_cg {
	bool exists;
	char path[PATH_MAX];
};

static struct {
	const char *cgroup;
	const char *dev;
	const char *debugfs;
	double seconds;
	unsigned long long max_ops;
	int holders;
	int limit;
	int hold;
	int cgroups;
	uint64_t seed;
} opt = {
	.dev = "/dev/ioasid",
	.debugfs = "/sys/kernel/debug/ioasid",
	.seconds = 20,
	.max_ops = 10000000,
	.holders = 16,
	.limit = 32,
	.hold = 6,
	.cgroups = 6,
	.seed = 1,
};

static struct shared *sh;
static pid_t parent_pid;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* An unexpected result: counted, and the first one kept for the report */
static void __printf(1, 2) fail(const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&sh->errors, 1);
	if (atomic_exchange(&sh->err_claimed, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(sh->err, sizeof(sh->err), fmt, ap);
	va_end(ap);
}

/* ---- cgroup files ---- */

static int write_file(const char *path, const char *val)
{
	ssize_t n;
	int fd, e;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	e = errno;
	close(fd);
	if (n < 0)
		return -e;
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	return 0;
}

/* The value of "KEY N" in @dir/@file, or of the single number with KEY NULL */
static long long read_key(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX + 64], buf[4096], *p, *line;
	size_t klen;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ret = read_file(path, buf, sizeof(buf));
	if (ret) {
		fail("read %s: %s", path, strerror(-ret));
		return -1;
	}
	if (!key)
		return strtoll(buf, NULL, 10);
	klen = strlen(key);
	for (line = strtok_r(buf, "\n", &p); line; line = strtok_r(NULL, "\n", &p))
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			return strtoll(line + klen + 1, NULL, 10);
	fail("%s has no \"%s\"", path, key);
	return -1;
}

static int cg_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX + 64];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ret = write_file(path, val);
	if (ret)
		fail("write \"%s\" to %s: %s", val, path, strerror(-ret));
	return ret;
}

/* ---- holders ---- */

struct held_id {
	uint32_t id;
	uint32_t spid;		/* 0: none */
};

/* A SPID no held ID has */
static uint32_t new_spid(uint32_t *next, const struct held_id *held, int n)
{
	int i;

again:
	if (++*next >= SPID_LIMIT)
		*next = 1;
	for (i = 0; i < n; i++)
		if (held[i].spid == *next)
			goto again;
	return *next;
}

/*
 * One operation, with @s->inflight set around the ioctl and the counting
 * of its result: a kill inside an IN_ALLOC window may hide a refusal from
 * us. Returns the errno of the call.
 */
static int holder_op(struct slot *s, int fd, struct held_id *held, int *nheld,
		     int target, uint32_t *next_spid)
{
	struct ioasid_alloc_req areq = { .argsz = sizeof(areq) };
	struct ioasid_free_req freq = { .argsz = sizeof(freq) };
	struct ioasid_spid_req sreq = { .argsz = sizeof(sreq) };
	struct ioasid_info info = { .argsz = sizeof(info) };
	int i, ret, e;

	if (*nheld < target) {
		atomic_store(&s->inflight, IN_ALLOC);
		areq.min = 1;
		areq.max = 0xfffff;
		if (rnd() % 4 == 0) {
			areq.flags = IOASID_ALLOC_FLAG_SPID;
			areq.spid = new_spid(next_spid, held, *nheld);
		}
		ret = ioctl(fd, IOASID_ALLOC, &areq);
		e = errno;
		atomic_fetch_add(&sh->ops, 1);
		if (!ret) {
			atomic_fetch_add(&sh->allocs, 1);
			if (areq.ioasid < areq.min || areq.ioasid > areq.max)
				fail("IOASID_ALLOC: ID %u out of range", areq.ioasid);
			held[*nheld].id = areq.ioasid;
			held[(*nheld)++].spid = areq.spid;
		} else if (e == EDQUOT) {
			atomic_fetch_add(&sh->refusals, 1);
		} else {
			fail("IOASID_ALLOC: %s", strerror(e));
		}
	} else if (*nheld > target) {
		atomic_store(&s->inflight, IN_OTHER);
		i = rnd() % *nheld;
		freq.ioasid = held[i].id;
		ret = ioctl(fd, IOASID_FREE, &freq);
		e = errno;
		atomic_fetch_add(&sh->ops, 1);
		if (ret) {
			fail("IOASID_FREE %u: %s", held[i].id, strerror(e));
		} else {
			atomic_fetch_add(&sh->frees, 1);
			held[i] = held[--*nheld];
		}
	} else if (!*nheld || rnd() % 4 == 0) {
		/* This file's count is exact: only its own calls change it */
		atomic_store(&s->inflight, IN_OTHER);
		ret = ioctl(fd, IOASID_GET_INFO, &info);
		e = errno;
		atomic_fetch_add(&sh->ops, 1);
		if (ret)
			fail("IOASID_GET_INFO: %s", strerror(e));
		else if (info.count != (uint32_t)*nheld)
			fail("IOASID_GET_INFO: count %u, holding %d", info.count, *nheld);
	} else {
		atomic_store(&s->inflight, IN_OTHER);
		i = rnd() % *nheld;
		sreq.ioasid = held[i].id;
		if (!held[i].spid) {
			sreq.spid = new_spid(next_spid, held, *nheld);
			ret = ioctl(fd, IOASID_ATTACH_SPID, &sreq);
			e = errno;
			if (!ret)
				held[i].spid = sreq.spid;
		} else if (rnd() % 2) {
			sreq.ioasid = 0;
			sreq.spid = held[i].spid;
			ret = ioctl(fd, IOASID_FIND_SPID, &sreq);
			e = errno;
			if (!ret && sreq.ioasid != held[i].id) {
				fail("IOASID_FIND_SPID %u: ID %u, not %u",
				     held[i].spid, sreq.ioasid, held[i].id);
			}
		} else {
			ret = ioctl(fd, IOASID_DETACH_SPID, &sreq);
			e = errno;
			if (!ret)
				held[i].spid = 0;
		}
		atomic_fetch_add(&sh->ops, 1);
		if (ret)
			fail("SPID ioctl on ID %u: %s", held[i].id, strerror(e));
		else
			atomic_fetch_add(&sh->spid_ops, 1);
	}
	atomic_store(&s->inflight, IDLE);
	return ret ? e : 0;
}

static void __noreturn holder_park(struct slot *s, int nheld)
{
	atomic_store(&s->held, nheld);
	atomic_store(&s->parked, 1);
	for (;;)
		pause();
}

static void __noreturn holder_main(int n, uint64_t seed)
{
	struct ioasid_info info = { .argsz = sizeof(info) };
	struct slot *s = &sh->slot[n];
	struct held_id held[MAX_HOLD];
	uint32_t next_spid;
	int fd, nheld = 0, target;

	/* Never outlive the parent */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent_pid)
		_exit(1);
	rng = seed;
	next_spid = rnd() % SPID_LIMIT;
	target = rnd() % (opt.hold + 1);

	while (!atomic_load(&s->go)) {
		if (atomic_load(&sh->stop))
			holder_park(s, 0);
		sleep_us(100);
	}

	fd = open(opt.dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fail("holder: open %s: %s", opt.dev, strerror(errno));
		holder_park(s, 0);
	}
	if (ioctl(fd, IOASID_GET_INFO, &info)) {
		fail("holder: IOASID_GET_INFO: %s", strerror(errno));
		holder_park(s, 0);
	}
	/* A file quota below what we hold would refuse without the cgroup */
	if (info.quota < (uint32_t)opt.hold) {
		fail("holder: the file quota %u is below --hold %d", info.quota, opt.hold);
		holder_park(s, 0);
	}

	while (!atomic_load(&sh->stop)) {
		if (rnd() % 6 == 0)
			target = rnd() % (opt.hold + 1);
		/* Refused: wait for room now and then, or give up for now */
		if (holder_op(s, fd, held, &nheld, target, &next_spid) == EDQUOT &&
		    rnd() % 2)
			target = nheld;
		atomic_store(&s->held, nheld);
		sleep_us(rnd() % 500);
	}
	holder_park(s, nheld);
}

/* ---- the parent: churn ---- */

static struct {
	unsigned long long steps, kills, inflight_kills, spawns, migrations;
	unsigned long long cg_created, cg_removed, limit_writes, below_current;
	long long local_removed;	/* events.local of removed children */
} st;

static pid_t pids[MAX_HOLDERS];
static int where[MAX_HOLDERS];		/* index in cgs[] */
static struct child_cg cgs[MAX_CGROUPS];
static unsigned int cg_seq;

static int nr_cgroups(void)
{
	int i, n = 0;

	for (i = 0; i < opt.cgroups; i++)
		n += cgs[i].exists;
	return n;
}

/* A random existing child other than @not (-1: any), or -1 */
static int pick_cgroup(int not)
{
	int i, n = 0, k;

	for (i = 0; i < opt.cgroups; i++)
		n += cgs[i].exists && i != not;
	if (!n)
		return -1;
	k = rnd() % n;
	for (i = 0; i < opt.cgroups; i++)
		if (cgs[i].exists && i != not && !k--)
			return i;
	return -1;
}

static int move_pid(pid_t pid, int c)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	return cg_write(cgs[c].path, "cgroup.procs", buf);
}

/* A limit for a child: often small, sometimes "max" */
static void limit_str(char *buf, size_t size, int top)
{
	if (rnd() % 3 == 0)
		snprintf(buf, size, "max");
	else
		snprintf(buf, size, "%u", rnd() % (top + 1));
}

static void write_limit(const char *dir, const char *val)
{
	long long cur = read_key(dir, "ioasids.current", NULL);

	if (cg_write(dir, "ioasids.max", val))
		return;
	st.limit_writes++;
	/* Allowed: nothing is taken back, later charges fail */
	if (strcmp(val, "max") && cur > strtoll(val, NULL, 10))
		st.below_current++;
}

static int create_cgroup(void)
{
	char val[16];
	int i;

	for (i = 0; i < opt.cgroups; i++)
		if (!cgs[i].exists)
			break;
	if (i == opt.cgroups)
		return -1;
	snprintf(cgs[i].path, sizeof(cgs[i].path), "%s/s%u", opt.cgroup, cg_seq++);
	if (mkdir(cgs[i].path, 0755)) {
		fail("mkdir %s: %s", cgs[i].path, strerror(errno));
		return -1;
	}
	cgs[i].exists = true;
	st.cg_created++;
	if (rnd() % 2) {
		limit_str(val, sizeof(val), 2 * opt.hold);
		write_limit(cgs[i].path, val);
	}
	return i;
}

/* Move @c's holders elsewhere, then remove it; false if it stays */
static bool remove_cgroup(int c, int to)
{
	long long local;
	int i, tries;

	for (i = 0; i < opt.holders; i++) {
		if (where[i] != c)
			continue;
		where[i] = to;
		if (!pids[i])
			continue;
		if (move_pid(pids[i], to))
			return false;
		st.migrations++;
	}
	/* No task is left to charge it: its events.local is final */
	local = read_key(cgs[c].path, "ioasids.events.local", "max");
	for (tries = 0; rmdir(cgs[c].path); tries++) {
		if (errno != EBUSY || tries == 200) {
			fail("rmdir %s: %s", cgs[c].path, strerror(errno));
			return false;
		}
		sleep_us(10000);
	}
	cgs[c].exists = false;
	st.local_removed += local;
	st.cg_removed++;
	return true;
}

static void spawn(int n)
{
	struct slot *s = &sh->slot[n];
	uint64_t seed = ((uint64_t)rnd() << 32 | rnd()) | 1;
	pid_t pid;
	int c;

	atomic_store(&s->go, 0);
	atomic_store(&s->inflight, IDLE);
	atomic_store(&s->parked, 0);
	atomic_store(&s->held, 0);
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		pids[n] = 0;
		return;
	}
	if (!pid)
		holder_main(n, seed);
	pids[n] = pid;
	c = pick_cgroup(-1);
	where[n] = c;
	st.spawns++;
	/* It waits for "go": nothing is charged before it is in place */
	if (move_pid(pid, c) == 0)
		atomic_store(&s->go, 1);
}

/* SIGKILL holder @n; @random: a kill of the churn, not of the end */
static void kill_holder(int n, bool random)
{
	int status;

	if (!pids[n])
		return;
	if (kill(pids[n], SIGKILL))
		fail("kill %d: %s", (int)pids[n], strerror(errno));
	if (waitpid(pids[n], &status, 0) != pids[n])
		fail("waitpid %d: %s", (int)pids[n], strerror(errno));
	else if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		fail("holder %d ended with status %#x", (int)pids[n], status);
	pids[n] = 0;
	if (random)
		st.kills++;
	/* It died between IOASID_ALLOC and counting the result */
	if (atomic_load(&sh->slot[n].inflight) == IN_ALLOC)
		st.inflight_kills++;
}

static void churn_step(void)
{
	unsigned int op = rnd() % 100;
	char val[16];
	int n = rnd() % opt.holders, c;

	st.steps++;
	if (op < 40) {
		/* Move a holder, with whatever it holds charged where it was */
		c = pick_cgroup(where[n]);
		if (c >= 0 && pids[n] && !move_pid(pids[n], c)) {
			where[n] = c;
			st.migrations++;
		}
	} else if (op < 50) {
		create_cgroup();
	} else if (op < 60) {
		if (nr_cgroups() > 1) {
			c = pick_cgroup(-1);
			remove_cgroup(c, pick_cgroup(c));
		}
	} else if (op < 75) {
		c = pick_cgroup(-1);
		limit_str(val, sizeof(val), 2 * opt.hold);
		write_limit(cgs[c].path, val);
	} else if (op < 87) {
		/* CGROUP: lowered anywhere down to 0, raised back to the limit */
		if (rnd() % 4)
			snprintf(val, sizeof(val), "%d", opt.limit);
		else
			snprintf(val, sizeof(val), "%u", rnd() % (opt.limit + 1));
		write_limit(opt.cgroup, val);
	} else if (op < 97) {
		kill_holder(n, true);
		spawn(n);
	} else {
		sleep_us(rnd() % 20000);
	}
}

/* ---- the end ---- */

static void bad_usage(void)
{
	fputs("usage: ioasid-stress [--seconds S] [--ops N] [--holders N] [--limit N]\n"
	      "                     [--hold N] [--cgroups N] [--seed N] [--dev PATH]\n"
	      "                     [--debugfs PATH] CGROUP\n", stderr);
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'o' },
		{ "holders", required_argument, NULL, 'n' },
		{ "limit", required_argument, NULL, 'l' },
		{ "hold", required_argument, NULL, 'H' },
		{ "cgroups", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 'S' },
		{ "dev", required_argument, NULL, 'd' },
		{ "debugfs", required_argument, NULL, 'D' },
		{ }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			opt.seconds = strtod(optarg, NULL);
			break;
		case 'o':
			opt.max_ops = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			opt.holders = atoi(optarg);
			break;
		case 'l':
			opt.limit = atoi(optarg);
			break;
		case 'H':
			opt.hold = atoi(optarg);
			break;
		case 'c':
			opt.cgroups = atoi(optarg);
			break;
		case 'S':
			opt.seed = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			opt.dev = optarg;
			break;
		case 'D':
			opt.debugfs = optarg;
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc - 1 || opt.seconds <= 0 || opt.seconds > 3600 ||
	    opt.holders < 1 || opt.holders > MAX_HOLDERS || opt.limit < 0 ||
	    opt.hold < 1 || opt.hold > MAX_HOLD || opt.cgroups < 2 ||
	    opt.cgroups > MAX_CGROUPS || !opt.max_ops)
		bad_usage();
	opt.cgroup = argv[optind];
}

/* Capacity and free from debugfs and from IOASID_GET_INFO */
static void system_ids(long long *cap, long long *free_ids,
		       long long *info_cap, long long *info_free)
{
	struct ioasid_info info = { .argsz = sizeof(info) };
	char dir[PATH_MAX], *slash;
	const char *base;
	int fd;

	snprintf(dir, sizeof(dir), "%s", opt.debugfs);
	slash = strrchr(dir, '/');
	*slash = '\0';
	base = slash + 1;
	*cap = read_key(dir, base, "capacity");
	*free_ids = read_key(dir, base, "free");

	*info_cap = *info_free = -1;
	fd = open(opt.dev, O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, IOASID_GET_INFO, &info)) {
		fail("%s: IOASID_GET_INFO: %s", opt.dev, strerror(errno));
	} else {
		*info_cap = info.capacity;
		*info_free = info.free;
	}
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	long long events0, local0, events, local, current, dying, held_end = 0;
	long long cap0, free0, cap, free_ids, icap, ifree, expect_local;
	unsigned long long seen, ops;
	int i, parked, settle_ms;
	double t0, elapsed;
	bool ok = true;
	char val[16];

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	parent_pid = getpid();
	rng = opt.seed * 2654435761u + 1;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}

	if (read_key(opt.cgroup, "ioasids.current", NULL) != 0 ||
	    read_key(opt.cgroup, "cgroup.stat", "nr_dying_descendants") != 0) {
		fprintf(stderr, "ioasid-stress: %s is not idle: %s\n", opt.cgroup,
			sh->err[0] ? sh->err : "IDs charged or dying descendants");
		return 1;
	}
	events0 = read_key(opt.cgroup, "ioasids.events", "max");
	local0 = read_key(opt.cgroup, "ioasids.events.local", "max");
	system_ids(&cap0, &free0, &icap, &ifree);
	snprintf(val, sizeof(val), "%d", opt.limit);
	cg_write(opt.cgroup, "ioasids.max", val);
	if (atomic_load(&sh->errors)) {
		fprintf(stderr, "ioasid-stress: %s\n", sh->err);
		return 1;
	}

	for (i = 0; i < 2; i++)
		create_cgroup();
	for (i = 0; i < opt.holders; i++)
		spawn(i);

	t0 = now();
	while (now() - t0 < opt.seconds &&
	       atomic_load(&sh->ops) < opt.max_ops)
		churn_step();
	elapsed = now() - t0;

	/* Stop: the holders finish their call and wait, holding their IDs */
	atomic_store(&sh->stop, 1);
	for (i = 0; i < 1000; i++) {
		int k;

		for (parked = 0, k = 0; k < opt.holders; k++)
			parked += !pids[k] || atomic_load(&sh->slot[k].parked);
		if (parked == opt.holders)
			break;
		sleep_us(10000);
	}
	if (parked != opt.holders)
		fail("%d of %d holders did not stop", opt.holders - parked, opt.holders);
	for (i = 0; i < opt.holders; i++)
		held_end += pids[i] ? atomic_load(&sh->slot[i].held) : 0;
	current = read_key(opt.cgroup, "ioasids.current", NULL);
	printf("ioasid-stress: held by the stopped holders: %lld, %s ioasids.current %lld\n",
	       held_end, opt.cgroup, current);

	/* Their IDs go back when their files close, as they die */
	for (i = 0; i < opt.holders; i++)
		kill_holder(i, false);
	for (i = 0; i < opt.cgroups; i++) {
		if (!cgs[i].exists)
			continue;
		st.local_removed += read_key(cgs[i].path, "ioasids.events.local", "max");
		if (rmdir(cgs[i].path)) {
			fail("rmdir %s: %s", cgs[i].path, strerror(errno));
			continue;
		}
		cgs[i].exists = false;
		st.cg_removed++;
	}
	/* A removed cgroup may take an RCU grace period or so to go */
	for (settle_ms = 0; settle_ms < 10000; settle_ms += 10) {
		current = read_key(opt.cgroup, "ioasids.current", NULL);
		dying = read_key(opt.cgroup, "cgroup.stat", "nr_dying_descendants");
		if (!current && !dying)
			break;
		sleep_us(10000);
	}
	snprintf(val, sizeof(val), "%d", opt.limit);
	cg_write(opt.cgroup, "ioasids.max", val);

	events = read_key(opt.cgroup, "ioasids.events", "max") - events0;
	local = read_key(opt.cgroup, "ioasids.events.local", "max") - local0;
	expect_local = local + st.local_removed;
	system_ids(&cap, &free_ids, &icap, &ifree);
	seen = atomic_load(&sh->refusals);
	ops = atomic_load(&sh->ops);

	printf("seconds %.1f\n", elapsed);
	printf("seed %llu\n", (unsigned long long)opt.seed);
	printf("holders %d\n", opt.holders);
	printf("limit %d\n", opt.limit);
	printf("ops %llu\n", ops);
	printf("allocs %llu\n", atomic_load(&sh->allocs));
	printf("frees %llu\n", atomic_load(&sh->frees));
	printf("spid_ops %llu\n", atomic_load(&sh->spid_ops));
	printf("refusals_seen %llu\n", seen);
	printf("events_max %lld\n", events);
	printf("events_local_sum %lld\n", expect_local);
	printf("errors %llu\n", atomic_load(&sh->errors));
	printf("churn_steps %llu\n", st.steps);
	printf("kills %llu\n", st.kills);
	printf("inflight_kills %llu\n", st.inflight_kills);
	printf("spawns %llu\n", st.spawns);
	printf("migrations %llu\n", st.migrations);
	printf("cgroups_created %llu\n", st.cg_created);
	printf("cgroups_removed %llu\n", st.cg_removed);
	printf("limit_writes %llu\n", st.limit_writes);
	printf("limits_below_current %llu\n", st.below_current);
	printf("held_at_stop %lld\n", held_end);
	printf("settle_ms %d\n", settle_ms);
	printf("final_current %lld\n", current);
	printf("final_dying %lld\n", dying);
	printf("capacity %lld\n", cap);
	printf("free_before %lld\n", free0);
	printf("free %lld\n", free_ids);
	printf("info_free %lld\n", ifree);

	if (atomic_load(&sh->errors)) {
		printf("FAIL: %llu unexpected results, the first: %s\n",
		       atomic_load(&sh->errors), sh->err);
		ok = false;
	}
	if (current || dying) {
		printf("FAIL: %s: ioasids.current %lld, nr_dying_descendants %lld\n",
		       opt.cgroup, current, dying);
		ok = false;
	}
	if (free_ids != cap || ifree != cap || icap != cap) {
		printf("FAIL: %lld of %lld IDs free (IOASID_GET_INFO: %lld of %lld)\n",
		       free_ids, cap, ifree, icap);
		ok = false;
	}
	if (events != expect_local) {
		printf("FAIL: ioasids.events max grew by %lld, the events.local by %lld\n",
		       events, expect_local);
		ok = false;
	}
	if (!st.inflight_kills) {
		printf("refusals: exact, %llu seen, %lld counted\n", seen, events);
		if ((long long)seen != events) {
			printf("FAIL: refusals seen %llu != ioasids.events max %lld\n",
			       seen, events);
			ok = false;
		}
	} else {
		printf("refusals: bounded, %llu kills in an IOASID_ALLOC: %llu <= %lld <= %llu\n",
		       st.inflight_kills, seen, events, seen + st.inflight_kills);
		if (events < (long long)seen ||
		    events > (long long)(seen + st.inflight_kills)) {
			printf("FAIL: refusals seen %llu, events max %lld, %llu kills\n",
			       seen, events, st.inflight_kills);
			ok = false;
		}
	}
	printf("balance %s\n", ok ? "ok" : "FAIL");
	munmap(sh, sizeof(*sh));
	return ok ? 0 : 1;
}
