// SPDX-License-Identifier: GPL-2.0
/*
 * The ioasids cgroup controller, driven through /dev/ioasid: limits at
 * every depth, hierarchical and local events, peak, charges that stay with
 * the cgroup that took them, dying cgroups, poll() on events, delegation,
 * ioasids.stat by kind and the fdinfo of /dev/ioasid.
 *
 * Each test works in a cgroup of its own below the cgroup-v2 root, with the
 * controller enabled for its children; its processes live in leaves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <mntent.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/ioasid.h>

#include "../kselftest_harness.h"
#include "../cgroup/cgroup_util.h"

#define NOBODY	65534

/* The outcome of a child's allocations, sent to its parent through a pipe */
struct take_result {
	int taken;
	int err;	/* errno of the first refusal, 0 if none */
};

/*
 * Take @n IDs from a new /dev/ioasid file, in the current cgroup, stopping
 * at the first refusal. The file stays open: the IDs are held until the
 * process exits.
 */
static struct take_result take_ids(int n)
{
	struct take_result r = { 0, 0 };
	int fd = open("/dev/ioasid", O_RDWR);

	if (fd < 0) {
		r.err = errno;
		return r;
	}
	for (; r.taken < n; r.taken++) {
		struct ioasid_alloc_req req = {
			.argsz = sizeof(req),
			.min = 1,
			.max = (1U << 20) - 1,
		};

		if (ioctl(fd, IOASID_ALLOC, &req)) {
			r.err = errno;
			break;
		}
	}
	return r;
}

/*
 * Start a process in @cgroup that takes @n IDs and holds them until it is
 * killed. Returns its pid, with what it took in @r, or -1.
 */
static pid_t holder_start(const char *cgroup, int n, struct take_result *r)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct take_result t = { 0, EIO };

		close(p[0]);
		if (!cg_enter_current(cgroup))
			t = take_ids(n);
		if (write(p[1], &t, sizeof(t)) != sizeof(t))
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], r, sizeof(*r)) != sizeof(*r)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

/* End a holder; its IDs are freed when its file is released */
static void holder_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Take @n IDs in @cgroup in a process that then exits */
static struct take_result take_in(const char *cgroup, int n)
{
	struct take_result r = { 0, EIO };
	pid_t pid = holder_start(cgroup, n, &r);

	if (pid > 0)
		holder_stop(pid);
	return r;
}

/* Write @value to @cgroup's @control; 0 or the negative errno */
static int cg_set(const char *cgroup, const char *control, const char *value)
{
	return cg_write(cgroup, control, (char *)value);
}

/* "max N" of an events file, or -1 */
static long events_max(const char *cgroup, const char *control)
{
	return cg_read_key_long(cgroup, control, "max ");
}

/* How many IDs the system has free, or -1 */
static long system_free(void)
{
	struct ioasid_info info = { .argsz = sizeof(info) };
	int fd = open("/dev/ioasid", O_RDWR);
	long ret = -1;

	if (fd < 0)
		return -1;
	if (!ioctl(fd, IOASID_GET_INFO, &info))
		ret = info.free;
	close(fd);
	return ret;
}

/* Remove one cgroup, ending what still runs in it (a failed test's holder) */
static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	int i;

	if (flag != FTW_DP)
		return 0;
	for (i = 0; i < 100 && rmdir(path) && errno == EBUSY; i++) {
		cg_killall(path);
		usleep(10000);
	}
	return 0;
}

/* Remove a cgroup and its descendants, deepest first */
static void cg_destroy_tree(const char *cgroup)
{
	nftw(cgroup, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * The cgroup v2 mount, found here rather than with cg_find_unified_root(),
 * whose arguments differ between kernel releases
 */
static int cgroup2_root(char *root, size_t len)
{
	struct mntent *m;
	FILE *f;
	int ret = -1;

	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return -1;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2") &&
		    snprintf(root, len, "%s", m->mnt_dir) < (int)len) {
			ret = 0;
			break;
		}
	}
	endmntent(f);
	return ret;
}

FIXTURE(ioasids) {
	char root[PATH_MAX];
	char *top;		/* this test's cgroup */
	char *leaf;		/* a leaf below it */
};

FIXTURE_SETUP(ioasids)
{
	self->top = NULL;
	self->leaf = NULL;
	if (cgroup2_root(self->root, sizeof(self->root)))
		SKIP(return, "cgroup v2 is not mounted");
	if (cg_read_strstr(self->root, "cgroup.controllers", "ioasids"))
		SKIP(return, "the ioasids controller is not in this kernel");
	if (access("/dev/ioasid", R_OK | W_OK))
		SKIP(return, "/dev/ioasid: %s", strerror(errno));
	ASSERT_EQ(0, cg_set(self->root, "cgroup.subtree_control", "+ioasids"));
	self->top = cg_name_indexed(self->root, "ioasids_test", getpid());
	cg_destroy_tree(self->top);
	ASSERT_EQ(0, cg_create(self->top));
	ASSERT_EQ(0, cg_set(self->top, "cgroup.subtree_control", "+ioasids"));
	self->leaf = cg_name(self->top, "w");
	ASSERT_EQ(0, cg_create(self->leaf));
}

FIXTURE_TEARDOWN(ioasids)
{
	if (self->top)
		cg_destroy_tree(self->top);
	free(self->leaf);
	free(self->top);
}

TEST_F(ioasids, limit_refuses_with_edquot)
{
	struct take_result r;

	ASSERT_EQ(0, cg_set(self->top, "ioasids.max", "3"));
	ASSERT_EQ(0, cg_read_strcmp(self->top, "ioasids.max", "3\n"));
	r = take_in(self->leaf, 4);
	EXPECT_EQ(3, r.taken);
	EXPECT_EQ(EDQUOT, r.err);
	EXPECT_EQ(0, cg_read_long(self->top, "ioasids.current"));
	EXPECT_EQ(3, cg_read_long(self->top, "ioasids.peak"));
	/* counted where the limit is and above, not below */
	EXPECT_EQ(1, events_max(self->top, "ioasids.events"));
	EXPECT_EQ(1, events_max(self->top, "ioasids.events.local"));
	EXPECT_EQ(0, events_max(self->leaf, "ioasids.events"));
	EXPECT_EQ(0, events_max(self->leaf, "ioasids.events.local"));

	ASSERT_EQ(0, cg_set(self->top, "ioasids.max", "max"));
	ASSERT_EQ(0, cg_read_strcmp(self->top, "ioasids.max", "max\n"));
	r = take_in(self->leaf, 4);
	EXPECT_EQ(4, r.taken);
	EXPECT_EQ(0, r.err);
}

TEST_F(ioasids, charged_while_held)
{
	long before = cg_read_long(self->root, "ioasids.current");
	long free_before = system_free();
	struct take_result r;
	pid_t pid;

	ASSERT_GT(free_before, 5);
	pid = holder_start(self->leaf, 5, &r);
	ASSERT_GT(pid, 0);
	EXPECT_EQ(5, r.taken);
	EXPECT_EQ(5, cg_read_long(self->leaf, "ioasids.current"));
	EXPECT_EQ(5, cg_read_long(self->top, "ioasids.current"));
	EXPECT_EQ(before + 5, cg_read_long(self->root, "ioasids.current"));
	EXPECT_EQ(free_before - 5, system_free());
	/* SIGKILL: the IDs are freed when the file is released */
	holder_stop(pid);
	EXPECT_EQ(0, cg_read_long(self->leaf, "ioasids.current"));
	EXPECT_EQ(0, cg_read_long(self->top, "ioasids.current"));
	EXPECT_EQ(before, cg_read_long(self->root, "ioasids.current"));
	EXPECT_EQ(free_before, system_free());
	EXPECT_EQ(5, cg_read_long(self->top, "ioasids.peak"));
}

TEST_F(ioasids, lower_limit_keeps_ids)
{
	struct take_result r;
	pid_t pid;

	pid = holder_start(self->leaf, 4, &r);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(4, r.taken);
	ASSERT_EQ(0, cg_set(self->top, "ioasids.max", "2"));
	EXPECT_EQ(4, cg_read_long(self->top, "ioasids.current"));
	r = take_in(self->leaf, 1);
	EXPECT_EQ(0, r.taken);
	EXPECT_EQ(EDQUOT, r.err);
	holder_stop(pid);
	r = take_in(self->leaf, 2);
	EXPECT_EQ(2, r.taken);
	EXPECT_EQ(0, r.err);
}

/*
 * A chain of eight cgroups, the limit tightest at depth 1, 4 or 8 in turn:
 * the tightest level refuses, counts the refusal in its events.local and
 * in the events of every level from it up, and no level keeps a charge.
 */
TEST_F(ioasids, limits_at_depths_1_to_8)
{
	static const int tight[] = { 1, 4, 8 };
	char *level[9];
	struct take_result r;
	long before;
	int i, t;

	level[0] = strdup(self->top);
	for (i = 1; i <= 8; i++) {
		level[i] = cg_name_indexed(level[i - 1], "l", i);
		ASSERT_EQ(0, cg_create(level[i]));
		if (i < 8)
			ASSERT_EQ(0, cg_set(level[i], "cgroup.subtree_control",
					    "+ioasids"));
	}
	for (t = 0; t < 3; t++) {
		for (i = 1; i <= 8; i++)
			ASSERT_EQ(0, cg_set(level[i], "ioasids.max",
					    i == tight[t] ? "2" : "10"));
		before = events_max(self->top, "ioasids.events");
		r = take_in(level[8], 3);
		EXPECT_EQ(2, r.taken);
		EXPECT_EQ(EDQUOT, r.err);
		for (i = 0; i <= 8; i++)
			EXPECT_EQ(0, cg_read_long(level[i], "ioasids.current"));
		EXPECT_EQ(before + 1, events_max(self->top, "ioasids.events"));
	}
	/* The levels from a refusal up never held the refused charge */
	EXPECT_EQ(2, cg_read_long(level[1], "ioasids.peak"));
	EXPECT_EQ(3, cg_read_long(level[8], "ioasids.peak"));
	for (i = 1; i <= 8; i++) {
		long local = (i == 1 || i == 4 || i == 8);
		long all = i == 1 ? 3 : i <= 4 ? 2 : 1;

		EXPECT_EQ(local, events_max(level[i], "ioasids.events.local"));
		EXPECT_EQ(all, events_max(level[i], "ioasids.events"));
	}
	for (i = 0; i <= 8; i++)
		free(level[i]);
}

TEST_F(ioasids, migration_leaves_the_charge)
{
	char *a = cg_name(self->top, "a"), *b = cg_name(self->top, "b");
	struct take_result r;
	pid_t pid;

	ASSERT_EQ(0, cg_create(a));
	ASSERT_EQ(0, cg_create(b));
	pid = holder_start(a, 3, &r);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(3, r.taken);
	ASSERT_EQ(0, cg_enter(b, pid));
	EXPECT_EQ(3, cg_read_long(a, "ioasids.current"));
	EXPECT_EQ(0, cg_read_long(b, "ioasids.current"));
	/* a limit of the new cgroup does not see the old charge */
	ASSERT_EQ(0, cg_set(b, "ioasids.max", "1"));
	r = take_in(b, 1);
	EXPECT_EQ(1, r.taken);
	EXPECT_EQ(1, cg_read_long(b, "ioasids.peak"));
	holder_stop(pid);
	EXPECT_EQ(0, cg_read_long(a, "ioasids.current"));
	EXPECT_EQ(0, cg_read_long(b, "ioasids.current"));
	free(a);
	free(b);
}

TEST_F(ioasids, dying_cgroup_keeps_its_charge)
{
	char *gone = cg_name(self->top, "gone");
	struct take_result r;
	pid_t pid;
	int i;

	ASSERT_EQ(0, cg_create(gone));
	pid = holder_start(gone, 2, &r);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(2, r.taken);
	ASSERT_EQ(0, cg_enter(self->leaf, pid));
	ASSERT_EQ(0, rmdir(gone));
	EXPECT_EQ(1, cg_read_key_long(self->top, "cgroup.stat",
				      "nr_dying_descendants "));
	EXPECT_EQ(2, cg_read_long(self->top, "ioasids.current"));
	holder_stop(pid);
	EXPECT_EQ(0, cg_read_long(self->top, "ioasids.current"));
	for (i = 0; i < 100; i++) {
		if (!cg_read_key_long(self->top, "cgroup.stat",
				      "nr_dying_descendants "))
			break;
		usleep(50000);
	}
	EXPECT_EQ(0, cg_read_key_long(self->top, "cgroup.stat",
				      "nr_dying_descendants "));
	free(gone);
}

/* ioasids.stat counts an ID by kind; its fdinfo line names its cgroup */
TEST_F(ioasids, stat_and_fdinfo_follow_spids)
{
	struct ioasid_alloc_req req = {
		.argsz = sizeof(req), .min = 1, .max = (1U << 20) - 1,
	};
	struct ioasid_spid_req sr = { .argsz = sizeof(sr), .spid = 9 };
	char path[32], info[4096], want[PATH_MAX + 64];
	ssize_t len;
	int fd;

	ASSERT_EQ(0, cg_enter_current(self->leaf));
	fd = open("/dev/ioasid", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, IOASID_ALLOC, &req));
	EXPECT_EQ(0, cg_read_strcmp(self->top, "ioasids.stat",
				    "sva 0\nfile 1\nguest 0\ndriver 0\n"));

	/* An SPID makes it a guest's PASID, shown in the file's fdinfo */
	sr.ioasid = req.ioasid;
	ASSERT_EQ(0, ioctl(fd, IOASID_ATTACH_SPID, &sr));
	EXPECT_EQ(0, cg_read_strcmp(self->leaf, "ioasids.stat",
				    "sva 0\nfile 0\nguest 1\ndriver 0\n"));
	snprintf(path, sizeof(path), "fdinfo/%d", fd);
	len = proc_read_text(getpid(), false, path, info, sizeof(info));
	ASSERT_LT(0, len);
	EXPECT_NE(NULL, strstr(info, "ioasid-count:\t1\n"));
	snprintf(want, sizeof(want), "ioasid:\t%u spid:9 cgroup:%s\n",
		 req.ioasid, self->leaf + strlen(self->root));
	EXPECT_NE(NULL, strstr(info, want)) {
		TH_LOG("fdinfo has no \"%s\":\n%s", want, info);
	}

	sr.spid = 0;
	ASSERT_EQ(0, ioctl(fd, IOASID_DETACH_SPID, &sr));
	EXPECT_EQ(0, cg_read_strcmp(self->leaf, "ioasids.stat",
				    "sva 0\nfile 1\nguest 0\ndriver 0\n"));
	close(fd);
	EXPECT_EQ(0, cg_read_strcmp(self->top, "ioasids.stat",
				    "sva 0\nfile 0\nguest 0\ndriver 0\n"));
	ASSERT_EQ(0, cg_enter_current(self->root));
}

TEST_F(ioasids, refusal_wakes_a_poller)
{
	char path[PATH_MAX], buf[64];
	struct take_result r;
	struct pollfd pfd;
	int n;

	ASSERT_EQ(0, cg_set(self->top, "ioasids.max", "0"));
	snprintf(path, sizeof(path), "%s/ioasids.events", self->top);
	pfd.fd = open(path, O_RDONLY);
	ASSERT_GE(pfd.fd, 0);
	pfd.events = POLLPRI;
	ASSERT_GT(read(pfd.fd, buf, sizeof(buf)), 0);
	r = take_in(self->leaf, 1);
	EXPECT_EQ(EDQUOT, r.err);
	EXPECT_EQ(1, poll(&pfd, 1, 10000));
	EXPECT_TRUE(pfd.revents & POLLPRI);
	n = pread(pfd.fd, buf, sizeof(buf) - 1, 0);
	ASSERT_GT(n, 0);
	buf[n] = '\0';
	EXPECT_STREQ("max 1\n", buf);
	close(pfd.fd);
}

/*
 * A cgroup delegated to an unprivileged user: the user sets the limits of
 * the cgroups it creates, not its own.
 */
TEST_F(ioasids, delegation)
{
	char *d = cg_name(self->top, "d"), *sub = cg_name(d, "sub");
	static const char * const files[] = {
		"", "/cgroup.procs", "/cgroup.subtree_control", "/cgroup.threads",
	};
	char path[PATH_MAX];
	int status, i;
	pid_t pid;

	ASSERT_EQ(0, cg_create(d));
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s%s", d, files[i]);
		ASSERT_EQ(0, chown(path, NOBODY, NOBODY));
	}
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(10);
		if (cg_set(d, "ioasids.max", "5") != -EACCES ||
		    cg_set(self->top, "ioasids.max", "5") != -EACCES)
			_exit(11);
		if (cg_set(d, "cgroup.subtree_control", "+ioasids"))
			_exit(12);
		if (cg_create(sub))
			_exit(13);
		if (cg_set(sub, "ioasids.max", "5"))
			_exit(14);
		if (cg_read_strcmp(sub, "ioasids.max", "5\n"))
			_exit(15);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, cg_read_strcmp(d, "ioasids.max", "max\n"));
	free(sub);
	free(d);
}

TEST_F(ioasids, bad_limits_are_refused)
{
	static const char * const bad[] = {
		"-1", "1x", "maxx", "0x10", "1048577", "4294967296",
	};
	unsigned int i;

	ASSERT_EQ(0, cg_set(self->top, "ioasids.max", "7"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, cg_set(self->top, "ioasids.max", bad[i])) {
			TH_LOG("wrote '%s'", bad[i]);
		}
	}
	EXPECT_EQ(0, cg_read_strcmp(self->top, "ioasids.max", "7\n"));
}

TEST_HARNESS_MAIN
