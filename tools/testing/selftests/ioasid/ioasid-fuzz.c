// SPDX-License-Identifier: GPL-2.0
/*
 * ioasid-fuzz: a structured fuzzer of the /dev/ioasid ioctls. Each call
 * starts from a valid request (IDs and SPIDs from earlier successful calls)
 * and mutates its number, argsz, flags, fields or pointer; files are closed
 * and reopened at random, which frees what they hold. Every result must be
 * success or one of the documented errors.
 *
 * Usage: ioasid-fuzz COUNT SEED. Prints the calls made and the results.
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

#define NFD	2
#define POOL	64
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* argsz values around every structure's size */
static const uint32_t sizes[] = {
	0, 1, 7, 15, 17, 24, 25, 64, 4096, 0x7fffffff, 0xffffffff,
};

static uint32_t pick(const uint32_t *v, int n)
{
	return v[rnd() % n];
}

/* The errors documented in Documentation/userspace-api/ioasid.rst */
static int documented(int e)
{
	switch (e) {
	case EINVAL: case EFAULT: case ENOENT: case EACCES: case EEXIST:
	case EBUSY: case ENOSPC: case EDQUOT: case ENOTTY: case ENOMEM:
	case EOVERFLOW:
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned long cmds[] = {
		IOASID_GET_API_VERSION, IOASID_GET_INFO, IOASID_ALLOC, IOASID_FREE,
		IOASID_ATTACH_SPID, IOASID_DETACH_SPID, IOASID_FIND_SPID,
	};
	const char *dev = getenv("IOASIDCTL_DEV") ? getenv("IOASIDCTL_DEV") : "/dev/ioasid";
	uint32_t ids[POOL] = { 1 }, spids[POOL] = { 1 }, words[16];
	unsigned long long count, i, ok = 0, per_errno[256] = { 0 };
	int fd[NFD], nids = 1, k, e;
	unsigned long cmd;
	void *arg;
	long ret;

	if (argc != 3) {
		fprintf(stderr, "usage: ioasid-fuzz COUNT SEED\n");
		return 2;
	}
	count = strtoull(argv[1], NULL, 0);
	rng = strtoull(argv[2], NULL, 0) * 2654435761u + 1;
	for (k = 0; k < NFD; k++) {
		fd[k] = open(dev, O_RDWR);
		if (fd[k] < 0) {
			perror(dev);
			return 1;
		}
	}

	for (i = 0; i < count; i++) {
		k = rnd() % NFD;
		if (rnd() % 1000 == 0) {
			close(fd[k]);
			fd[k] = open(dev, O_RDWR);
			if (fd[k] < 0) {
				perror(dev);
				return 1;
			}
			continue;
		}

		/* A valid request for a known command... */
		cmd = cmds[rnd() % 7];
		memset(words, 0, sizeof(words));
		words[0] = cmd == IOASID_ALLOC ? sizeof(struct ioasid_alloc_req) :
			   cmd == IOASID_GET_INFO ? sizeof(struct ioasid_info) : 16;
		switch (cmd) {
		case IOASID_ALLOC:
			words[1] = rnd() % 2 ? IOASID_ALLOC_FLAG_SPID : 0;
			words[2] = pick((const uint32_t[]){ 0, 1, 100 }, 3);
			words[3] = pick((const uint32_t[]){ 0xfffff, 200, 1 }, 3);
			words[4] = rnd() % 4096;
			break;
		case IOASID_FREE:
			words[2] = ids[rnd() % nids];
			break;
		case IOASID_ATTACH_SPID:
		case IOASID_DETACH_SPID:
			words[2] = ids[rnd() % nids];
			words[3] = spids[rnd() % nids];
			break;
		case IOASID_FIND_SPID:
			words[3] = spids[rnd() % nids];
			break;
		}
		/* ...then mutated */
		if (rnd() % 8 == 0)
			cmd = _IOC(rnd() % 4, rnd() % 3 ? IOASID_TYPE : rnd() % 256,
				   0x38 + rnd() % 0x18, rnd() % 3 ? 0 : rnd() % 128);
		if (rnd() % 4 == 0)
			words[0] = pick(sizes, ARRAY_LEN(sizes));
		if (rnd() % 4 == 0)
			words[1] = rnd() % 2 ? rnd() : 1U << (rnd() % 32);
		if (rnd() % 4 == 0)
			words[2 + rnd() % 6] = rnd() % 2 ? rnd() : rnd() % 64;
		arg = words;
		if (rnd() % 32 == 0)
			arg = rnd() % 2 ? NULL : (void *)(uintptr_t)0x10;

		ret = ioctl(fd[k], cmd, arg);
		if (ret >= 0) {
			ok++;
			if (cmd == IOASID_ALLOC && arg == words && nids < POOL) {
				ids[nids] = words[5];
				spids[nids++] = words[4];
			}
			continue;
		}
		e = errno;
		if (!documented(e)) {
			fprintf(stderr, "ioasid-fuzz: call %llu: cmd %#lx argsz %u flags %#x: %s\n",
				i, cmd, words[0], words[1], strerror(e));
			return 1;
		}
		per_errno[e & 255]++;
	}
	for (k = 0; k < NFD; k++)
		close(fd[k]);

	printf("%llu calls: %llu ok", count, ok);
	for (e = 1; e < 256; e++)
		if (per_errno[e])
			printf(", %s %llu", strerrorname_np(e), per_errno[e]);
	printf("\n");
	return 0;
}
