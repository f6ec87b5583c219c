// SPDX-License-Identifier: GPL-2.0
/*
 * The workload of the ioasid tests that drive the kernel from a shell:
 * take IDs from /dev/ioasid, print them, optionally hold them until a
 * signal, then free them.
 *
 *   ioasid_holder [-n COUNT] [-m MIN] [-M MAX] [-s SPID] [-p] [-H]
 *
 * Prints each ID taken ("ID" or "ID spid SPID", SPIDs counting up from
 * SPID), and each refusal on stderr as "ioasid_holder: ID I of COUNT:
 * <strerror>". It stops at the first refusal unless -p is given. With -H
 * it prints "holding N" once the IDs are taken and waits for SIGTERM,
 * SIGINT or SIGHUP. Exits 0 if every ID was taken and freed, 1 otherwise,
 * 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/ioasid.h>

static bool parse_u32(const char *s, unsigned int *val)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v > 0xffffffffUL)
		return false;
	*val = v;
	return true;
}

static int bad_usage(void)
{
	fprintf(stderr,
		"usage: ioasid_holder [-n COUNT] [-m MIN] [-M MAX] [-s SPID] [-p] [-H]\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned int count = 1, min = 1, max = (1U << 20) - 1, spid = 0;
	bool hold = false, partial = false, with_spid = false;
	struct ioasid_free_req fr = { .argsz = sizeof(fr) };
	unsigned int *ids, got = 0, i;
	int fd, c, sig, ret = 0;
	sigset_t mask;

	/* IDs and refusals reach a shared pipe in the order they happen */
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "n:m:M:s:pH")) != -1) {
		switch (c) {
		case 'n':
			if (!parse_u32(optarg, &count) || !count || count > 1U << 20)
				return bad_usage();
			break;
		case 'm':
			if (!parse_u32(optarg, &min))
				return bad_usage();
			break;
		case 'M':
			if (!parse_u32(optarg, &max))
				return bad_usage();
			break;
		case 's':
			if (!parse_u32(optarg, &spid))
				return bad_usage();
			with_spid = true;
			break;
		case 'p':
			partial = true;
			break;
		case 'H':
			hold = true;
			break;
		default:
			return bad_usage();
		}
	}
	if (optind < argc)
		return bad_usage();

	ids = calloc(count, sizeof(*ids));
	if (!ids) {
		perror("ioasid_holder");
		return 1;
	}
	fd = open("/dev/ioasid", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "ioasid_holder: /dev/ioasid: %s\n", strerror(errno));
		free(ids);
		return 1;
	}

	/* Signals wait until the IDs are taken and reported */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	for (i = 0; i < count; i++) {
		struct ioasid_alloc_req req = {
			.argsz = sizeof(req),
			.min = min,
			.max = max,
		};

		if (with_spid) {
			req.flags = IOASID_ALLOC_FLAG_SPID;
			req.spid = spid + i;
		}
		if (ioctl(fd, IOASID_ALLOC, &req)) {
			fprintf(stderr, "ioasid_holder: ID %u of %u: %s\n",
				i + 1, count, strerror(errno));
			ret = 1;
			if (!partial)
				break;
			continue;
		}
		if (with_spid)
			printf("%u spid %u\n", req.ioasid, req.spid);
		else
			printf("%u\n", req.ioasid);
		ids[got++] = req.ioasid;
	}

	if (hold && (!ret || partial)) {
		printf("holding %u\n", got);
		fflush(stdout);
		sigwait(&mask, &sig);
	}
	fflush(stdout);

	for (i = 0; i < got; i++) {
		fr.ioasid = ids[i];
		if (ioctl(fd, IOASID_FREE, &fr)) {
			fprintf(stderr, "ioasid_holder: free ID %u: %s\n",
				ids[i], strerror(errno));
			ret = 1;
		}
	}
	close(fd);
	free(ids);
	return ret;
}
