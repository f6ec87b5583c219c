// SPDX-License-Identifier: GPL-2.0
/*
 * Raw /dev/ioasid ioctl checks for the Bats suite: every malformed request
 * must fail with its documented errno and leave nothing allocated.
 *
 *   ioasid-probe                   run the checks
 *   ioasid-probe foreign ID SPID   try to free, attach and look up another
 *                                  process's ID and SPID
 *   ioasid-probe free-race SECONDS two threads on one file: allocations
 *                                  that fail their copy-out, and frees
 *   ioasid-probe info              IOASID_GET_INFO of a new file
 *   ioasid-probe fill N [STRIDE]   take up to N IDs with SPIDs 1, 1 + STRIDE,
 *                                  1 + 2 * STRIDE... (STRIDE 1 by default) on
 *                                  one file, touching no new memory of its own
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/ioasid.h>

#include "../kselftest.h"

static int failures;

static void expect(const char *what, int ret, int err)
{
	int got = ret < 0 ? errno : 0;

	if (got != err) {
		printf("FAIL %s: got %s, want %s\n", what, got ? strerror(got) : "success",
		       err ? strerror(err) : "success");
		failures++;
	}
}

static int foreign(unsigned int id, unsigned int spid)
{
	int fd = open("/dev/ioasid", O_RDWR);
	struct ioasid_free_req fr = { .argsz = sizeof(fr), .ioasid = id };
	struct ioasid_spid_req sr = { .argsz = sizeof(sr), .ioasid = id, .spid = 99 };
	struct ioasid_spid_req fs = { .argsz = sizeof(fs), .spid = spid };

	if (fd < 0)
		return 1;
	printf("free: %s\n", ioctl(fd, IOASID_FREE, &fr) ? strerror(errno) : "ok");
	printf("attach: %s\n", ioctl(fd, IOASID_ATTACH_SPID, &sr) ? strerror(errno) : "ok");
	printf("find-spid: %s\n", ioctl(fd, IOASID_FIND_SPID, &fs) ? strerror(errno) : "ok");
	return 0;
}

#define RACE_MIN	700
#define RACE_N		4

struct race {
	int fd;
	struct ioasid_alloc_req *req;	/* in a read-only page */
	atomic_bool stop;
	unsigned long efault, other;
};

/* IOASID_ALLOC whose copy-out always fails: each undoes its allocation */
static void *race_efault(void *arg)
{
	struct race *r = arg;

	while (!r->stop) {
		if (!ioctl(r->fd, IOASID_ALLOC, r->req))
			r->other++;		/* it cannot succeed */
		else if (errno == EFAULT)
			r->efault++;
		else if (errno != ENOSPC)	/* the other thread holds all */
			r->other++;
	}
	return NULL;
}

/*
 * One thread's allocations fail to copy their result out, so the kernel
 * undoes each; meanwhile this thread frees every ID of a small range and
 * takes them again. Undoing must free the ID the failed call took, never
 * one this thread took under the same number: every ID this thread holds
 * must still be its own when it frees it.
 */
static int free_race(unsigned int seconds)
{
	struct ioasid_alloc_req a = { .argsz = sizeof(a), .min = RACE_MIN,
				      .max = RACE_MIN + RACE_N - 1 };
	struct ioasid_free_req fr = { .argsz = sizeof(fr) };
	struct race r = { 0 };
	bool held[RACE_N] = { false };
	unsigned long lost = 0, rounds = 0;
	time_t end = time(NULL) + seconds;
	pthread_t t;
	int i;

	r.fd = open("/dev/ioasid", O_RDWR);
	r.req = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r.fd < 0 || r.req == MAP_FAILED) {
		perror("free-race");
		return 1;
	}
	*r.req = a;
	if (mprotect(r.req, 4096, PROT_READ) || pthread_create(&t, NULL, race_efault, &r)) {
		perror("free-race");
		return 1;
	}
	while (time(NULL) < end) {
		/* Free each number, whoever holds it, and take one at once */
		for (i = 0; i < RACE_N; i++) {
			fr.ioasid = RACE_MIN + i;
			if (ioctl(r.fd, IOASID_FREE, &fr) && held[i])
				lost++;
			held[i] = false;
			if (!ioctl(r.fd, IOASID_ALLOC, &a))
				held[a.ioasid - RACE_MIN] = true;
		}
		rounds++;
	}
	r.stop = true;
	pthread_join(t, NULL);
	close(r.fd);
	printf("rounds %s, copy-out failures %s, other results %lu, lost %lu\n",
	       rounds > 100 ? "many" : "few", r.efault > 100 ? "many" : "few",
	       r.other, lost);
	return lost || r.other ? 1 : 0;
}

/* fill's report, formatted into memory that is already resident */
static int fill_report(char *msg, size_t size, unsigned long got,
		       unsigned long n, int err)
{
	if (got < n)
		return snprintf(msg, size, "took %lu, then %s\n", got, strerror(err));
	return snprintf(msg, size, "took %lu\n", got);
}

static int fill(unsigned long n, unsigned long stride)
{
	static const int errs[] = { ENOMEM, EDQUOT, ENOSPC, EFAULT };
	struct ioasid_alloc_req a = { .argsz = sizeof(a), .flags = IOASID_ALLOC_FLAG_SPID,
				      .min = 1, .max = 0xfffff };
	static char msg[128];
	unsigned long got;
	int fd, err, len;
	size_t i;

	/*
	 * Fault in now everything the report touches, ASan's shadow of it
	 * included: at a memory cgroup's limit a new page of this process's
	 * own would wake the OOM killer, which is not what is tested.
	 */
	for (i = 0; i < ARRAY_SIZE(errs); i++)
		fill_report(msg, sizeof(msg), 0, n, errs[i]);
	fill_report(msg, sizeof(msg), n, n, 0);

	fd = open("/dev/ioasid", O_RDWR);
	if (fd < 0) {
		perror("/dev/ioasid");
		return 1;
	}
	for (got = 0; got < n; got++) {
		a.spid = 1 + got * stride;
		if (ioctl(fd, IOASID_ALLOC, &a))
			break;
	}
	err = errno;
	/*
	 * Give the IDs' memory back (freed after an RCU grace period) before
	 * the pipe write below needs a page.
	 */
	close(fd);
	if (got < n)
		usleep(500000);
	len = fill_report(msg, sizeof(msg), got, n, err);
	if (write(STDOUT_FILENO, msg, len) != len)
		return 1;
	return got < n;
}

int main(int argc, char **argv)
{
	struct ioasid_alloc_req a = { .argsz = sizeof(a), .min = 1, .max = 1000 };
	struct ioasid_info info = { .argsz = sizeof(info) };
	struct ioasid_free_req fr = { .argsz = sizeof(fr) };
	struct ioasid_spid_req sr = { .argsz = sizeof(sr) };
	unsigned int id, id2;
	int fd, fd2, v;

	if (argc == 4 && !strcmp(argv[1], "foreign"))
		return foreign(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "free-race"))
		return free_race(strtoul(argv[2], NULL, 0));
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "fill"))
		return fill(strtoul(argv[2], NULL, 0),
			    argc == 4 ? strtoul(argv[3], NULL, 0) : 1);
	if (argc == 2 && !strcmp(argv[1], "info")) {
		fd = open("/dev/ioasid", O_RDWR);
		if (fd < 0 || ioctl(fd, IOASID_GET_INFO, &info)) {
			perror("info");
			return 1;
		}
		printf("capacity %u free %u quota %u count %u\n", info.capacity,
		       info.free, info.quota, info.count);
		return 0;
	}

	fd = open("/dev/ioasid", O_RDWR);
	fd2 = open("/dev/ioasid", O_RDWR);
	if (fd < 0 || fd2 < 0) {
		perror("/dev/ioasid");
		return 1;
	}
	v = ioctl(fd, IOASID_GET_API_VERSION);
	printf("version %d\n", v);
	if (v != IOASID_API_VERSION)
		failures++;

	expect("info", ioctl(fd, IOASID_GET_INFO, &info), 0);
	info.argsz = 8;
	expect("info short argsz", ioctl(fd, IOASID_GET_INFO, &info), EINVAL);
	info.argsz = sizeof(info);
	info.flags = 1;
	expect("info unknown flag", ioctl(fd, IOASID_GET_INFO, &info), EINVAL);
	expect("unknown ioctl", ioctl(fd, _IO(IOASID_TYPE, IOASID_BASE + 15)), ENOTTY);
	expect("bad pointer", ioctl(fd, IOASID_ALLOC, (void *)8), EFAULT);

	a.argsz = sizeof(a) - 4;
	expect("alloc short argsz", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.argsz = sizeof(a);
	a.flags = 2;
	expect("alloc unknown flag", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.flags = 0;
	a.min = 10;
	a.max = 5;
	expect("alloc min > max", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.min = 1;
	a.max = 0xffffffff;
	expect("alloc max invalid", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.max = 1000;
	a.spid = 5;
	expect("alloc spid without flag", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.spid = 0;
	/* A larger argsz from a newer binary is fine */
	a.argsz = sizeof(a) + 16;
	expect("alloc", ioctl(fd, IOASID_ALLOC, &a), 0);
	a.argsz = sizeof(a);
	id = a.ioasid;

	a.flags = IOASID_ALLOC_FLAG_SPID;
	a.spid = 42;
	expect("alloc with spid", ioctl(fd, IOASID_ALLOC, &a), 0);
	id2 = a.ioasid;
	expect("alloc with a used spid", ioctl(fd, IOASID_ALLOC, &a), EEXIST);

	sr.ioasid = id;
	sr.spid = 42;
	expect("attach used spid", ioctl(fd, IOASID_ATTACH_SPID, &sr), EEXIST);
	sr.spid = 43;
	expect("attach", ioctl(fd, IOASID_ATTACH_SPID, &sr), 0);
	expect("attach twice", ioctl(fd, IOASID_ATTACH_SPID, &sr), EBUSY);
	sr.ioasid = 0;
	sr.spid = 43;
	expect("find spid", ioctl(fd, IOASID_FIND_SPID, &sr), 0);
	if (sr.ioasid != id) {
		printf("FAIL find spid returned %u, want %u\n", sr.ioasid, id);
		failures++;
	}
	sr.spid = 44;
	expect("find unknown spid", ioctl(fd, IOASID_FIND_SPID, &sr), ENOENT);
	sr.ioasid = id;
	sr.spid = 1;
	expect("detach with spid set", ioctl(fd, IOASID_DETACH_SPID, &sr), EINVAL);
	sr.spid = 0;
	expect("detach", ioctl(fd, IOASID_DETACH_SPID, &sr), 0);
	expect("detach twice", ioctl(fd, IOASID_DETACH_SPID, &sr), ENOENT);

	/* Another open file, in the same process, does not own these IDs */
	fr.ioasid = id;
	expect("free through another file", ioctl(fd2, IOASID_FREE, &fr), EACCES);
	sr.ioasid = 0;
	sr.spid = 42;
	expect("find spid through another file", ioctl(fd2, IOASID_FIND_SPID, &sr), ENOENT);

	fr.__reserved = 1;
	expect("free reserved", ioctl(fd, IOASID_FREE, &fr), EINVAL);
	fr.__reserved = 0;
	expect("free", ioctl(fd, IOASID_FREE, &fr), 0);
	expect("double free", ioctl(fd, IOASID_FREE, &fr), ENOENT);
	fr.ioasid = 0xfffff;
	expect("free unknown", ioctl(fd, IOASID_FREE, &fr), ENOENT);

	info.flags = 0;
	expect("info", ioctl(fd, IOASID_GET_INFO, &info), 0);
	if (info.count != 1) {
		printf("FAIL count %u, want 1\n", info.count);
		failures++;
	}
	/* Closing releases the rest (id2) */
	close(fd);
	expect("info", ioctl(fd2, IOASID_GET_INFO, &info), 0);
	if (info.free != info.capacity) {
		printf("FAIL %u IDs still used after close\n", info.capacity - info.free);
		failures++;
	}
	(void)id2;
	close(fd2);
	if (!failures)
		printf("all checks passed\n");
	return failures ? 1 : 0;
}
