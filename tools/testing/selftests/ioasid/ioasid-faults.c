// SPDX-License-Identifier: GPL-2.0
/*
 * ioasid-faults: the /dev/ioasid workload of the fault-injection tests.
 *
 * Marks itself for fault injection (/proc/self/make-it-fail), then makes
 * COUNT valid calls: allocations over sparse ranges, with and without an
 * SPID, SPID attach, detach and lookup, frees, and files closed and
 * reopened. The kernel's fault injection (failslab, fail_page_alloc,
 * fail_usercopy, fail_function) makes some of them fail. Every failure must
 * be a documented errno, and what this process believes it holds must be
 * what the kernel says it holds: the file's count, and its cgroup's
 * ioasids.current. Prints the calls, the errors by errno and the balance.
 *
 * Usage: ioasid-faults COUNT SEED
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/ioasid.h>

#include "rnd.h"

#define POOL		256
#define NO_SPID		0xffffffffU
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* The errors an allocation or SPID call may return under fault injection */
static const int documented[] = {
	ENOMEM, EFAULT, EDQUOT, ENOSPC, EEXIST, EBUSY, ENOENT,
};

static struct {
	uint32_t id, spid;
} held[POOL];
static unsigned int nheld;
static unsigned long errs[256], calls, unexpected, reopens;

static int call(int fd, unsigned long nr, void *req, const char *what)
{
	int e;

	calls++;
	if (!ioctl(fd, nr, req))
		return 0;
	e = errno;
	errs[e & 0xff]++;
	for (size_t i = 0; i < ARRAY_LEN(documented); i++)
		if (e == documented[i])
			return e;
	unexpected++;
	fprintf(stderr, "ioasid-faults: %s: unexpected %s\n", what, strerror(e));
	return e;
}

/* Write @v to make-it-fail until it reads back: the write itself may fail */
static void make_it_fail(int fd, char v)
{
	char got = 0;

	for (int i = 0; i < 1000; i++) {
		if (pwrite(fd, &v, 1, 0) == 1 && pread(fd, &got, 1, 0) == 1 &&
		    got == v)
			return;
	}
	fprintf(stderr, "ioasid-faults: cannot set make-it-fail to %c\n", v);
	exit(2);
}

static int dev_open(void)
{
	int fd;

	for (int i = 0; i < 1000; i++) {
		fd = open("/dev/ioasid", O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno != ENOMEM && errno != EFAULT) {
			perror("ioasid-faults: /dev/ioasid");
			exit(2);
		}
		errs[errno & 0xff]++;
	}
	fprintf(stderr, "ioasid-faults: cannot open /dev/ioasid\n");
	exit(2);
}

static void do_alloc(int fd, uint32_t capacity)
{
	struct ioasid_alloc_req req = { .argsz = sizeof(req) };

	if (nheld == POOL)
		return;
	/* Far apart, so the XArrays need new nodes */
	req.min = 1 + rnd() % (capacity - 1);
	req.max = req.min + rnd() % 16;
	if (req.max >= capacity)
		req.max = capacity - 1;
	if (rnd() % 2) {
		req.flags = IOASID_ALLOC_FLAG_SPID;
		req.spid = rnd() % 0xfffff;
	}
	if (call(fd, IOASID_ALLOC, &req, "alloc"))
		return;
	held[nheld].id = req.ioasid;
	held[nheld].spid = req.flags ? req.spid : NO_SPID;
	nheld++;
}

static void do_spid(int fd, unsigned int i, unsigned int op)
{
	struct ioasid_spid_req req = {
		.argsz = sizeof(req), .ioasid = held[i].id,
	};

	if (op == 0 && held[i].spid == NO_SPID) {
		req.spid = rnd() % 0xfffff;
		if (!call(fd, IOASID_ATTACH_SPID, &req, "attach"))
			held[i].spid = req.spid;
	} else if (op == 1 && held[i].spid != NO_SPID) {
		if (!call(fd, IOASID_DETACH_SPID, &req, "detach"))
			held[i].spid = NO_SPID;
	} else if (held[i].spid != NO_SPID) {
		req.spid = held[i].spid;
		req.ioasid = 0;
		if (!call(fd, IOASID_FIND_SPID, &req, "find") &&
		    req.ioasid != held[i].id) {
			fprintf(stderr, "ioasid-faults: SPID %u found %u, not %u\n",
				held[i].spid, req.ioasid, held[i].id);
			unexpected++;
		}
	}
}

static void do_free(int fd, unsigned int i)
{
	struct ioasid_free_req req = {
		.argsz = sizeof(req), .ioasid = held[i].id,
	};

	if (call(fd, IOASID_FREE, &req, "free"))
		return;
	held[i] = held[--nheld];
}

/* The current count of this process's cgroup */
static long cgroup_current(void)
{
	char line[4096], path[4200];
	long cur = -1;
	FILE *f;

	f = fopen("/proc/self/cgroup", "r");
	if (!f || !fgets(line, sizeof(line), f) || strncmp(line, "0::", 3))
		goto out;
	line[strcspn(line, "\n")] = '\0';
	fclose(f);
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/ioasids.current",
		 line + 3);
	f = fopen(path, "r");
	if (f && fscanf(f, "%ld", &cur) != 1)
		cur = -1;
out:
	if (f)
		fclose(f);
	return cur;
}

int main(int argc, char **argv)
{
	struct ioasid_info info = { .argsz = sizeof(info) };
	unsigned long count;
	long cur;
	int fd, mf;

	if (argc != 3) {
		fprintf(stderr, "usage: ioasid-faults COUNT SEED\n");
		return 2;
	}
	count = strtoul(argv[1], NULL, 0);
	rng = strtoull(argv[2], NULL, 0) | 1;

	mf = open("/proc/self/make-it-fail", O_RDWR | O_CLOEXEC);
	if (mf < 0) {
		perror("ioasid-faults: /proc/self/make-it-fail");
		return 2;
	}
	fd = dev_open();
	if (ioctl(fd, IOASID_GET_INFO, &info) || info.capacity < 2) {
		perror("ioasid-faults: IOASID_GET_INFO");
		return 2;
	}

	make_it_fail(mf, '1');
	while (calls < count) {
		unsigned int r = rnd() % 100;

		if (r < 40 || !nheld) {
			do_alloc(fd, info.capacity);
		} else if (r < 65) {
			do_spid(fd, rnd() % nheld, r % 3);
		} else if (r < 98) {
			do_free(fd, rnd() % nheld);
		} else {
			close(fd);
			nheld = 0;
			reopens++;
			fd = dev_open();
		}
	}
	make_it_fail(mf, '0');

	if (ioctl(fd, IOASID_GET_INFO, &info)) {
		perror("ioasid-faults: IOASID_GET_INFO");
		return 2;
	}
	cur = cgroup_current();
	printf("calls %lu reopens %lu held %u count %u current %ld\n",
	       calls, reopens, nheld, info.count, cur);
	printf("errors ENOMEM %lu EFAULT %lu EDQUOT %lu ENOSPC %lu ",
	       errs[ENOMEM], errs[EFAULT], errs[EDQUOT], errs[ENOSPC]);
	printf("EEXIST %lu EBUSY %lu ENOENT %lu unexpected %lu\n",
	       errs[EEXIST], errs[EBUSY], errs[ENOENT], unexpected);
	close(fd);
	if (info.count != nheld || (cur >= 0 && cur != nheld)) {
		fprintf(stderr, "ioasid-faults: holds %u, the kernel counts %u (cgroup %ld)\n",
			nheld, info.count, cur);
		return 1;
	}
	return unexpected ? 1 : 0;
}
