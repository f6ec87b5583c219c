// SPDX-License-Identifier: GPL-2.0
/* ioasidctl verbs over /dev/ioasid: info, alloc */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ioasid_dev.h"
#include "output.h"
#include "parse.h"
#include "verbs.h"

int cmd_info(const struct gopts *g, int argc, char **argv)
{
	struct ioasid_info info;
	int fd, ret;

	if (argc > 1)
		return usage_error("info", "unexpected argument '%s'", argv[1]);
	fd = ioasid_dev_open(g->dev);
	if (fd < 0) {
		errmsg(fd, "%s", g->dev);
		return EXIT_FAIL;
	}
	ret = ioasid_dev_info(fd, &info);
	close(fd);
	if (ret) {
		errmsg(ret, "%s: info", g->dev);
		return EXIT_FAIL;
	}
	if (g->json) {
		json_t *o = json_object();

		json_object_set_new(o, "capacity", json_integer(info.capacity));
		json_object_set_new(o, "free", json_integer(info.free));
		json_object_set_new(o, "used", json_integer(info.capacity - info.free));
		if (json_print(o))
			return EXIT_FAIL;
	} else {
		printf("capacity %u\nfree %u\nused %u\n", info.capacity, info.free,
		       info.capacity - info.free);
	}
	return EXIT_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int cmd_alloc(const struct gopts *g, int argc, char **argv)
{
	/* No --max here: it is run's limit; the IDs' bounds are one --range */
	static const struct option opts[] = {
		{ "count",   required_argument, NULL, 'n' },
		{ "range",   required_argument, NULL, 'r' },
		{ "spid",    required_argument, NULL, 's' },
		{ "hold",    no_argument,       NULL, 'H' },
		{ "partial", no_argument,       NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long count = 1, min = 1, max = (1U << 20) - 1, spid = 0;
	bool hold = false, partial = false, with_spid = false;
	unsigned int *ids, got = 0, i, s;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t mask, old;
	int fd, c, ret = 0, status = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_uint(optarg, 1U << 20, &count) || !count)
				return usage_error("alloc", "bad count '%s'", optarg);
			break;
		case 'r':
			if (parse_range(optarg, 0xfffffffeU, &min, &max))
				return usage_error("alloc", "bad --range '%s': FIRST-LAST, FIRST <= LAST",
						   optarg);
			break;
		case 's':
			if (parse_uint(optarg, 0xfffffffeU, &spid))
				return usage_error("alloc", "bad --spid '%s'", optarg);
			with_spid = true;
			break;
		case 'H':
			hold = true;
			break;
		case 'p':
			partial = true;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("alloc", "unexpected argument '%s'", argv[optind]);

	ids = calloc(count, sizeof(*ids));
	if (!ids) {
		errmsg(-ENOMEM, "alloc");
		return EXIT_FAIL;
	}
	fd = ioasid_dev_open(g->dev);
	if (fd < 0) {
		errmsg(fd, "%s", g->dev);
		free(ids);
		return EXIT_FAIL;
	}

	/* Signals wait until the IDs are taken and reported */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	for (i = 0; i < count; i++) {
		s = (unsigned int)(spid + i);
		ret = ioasid_dev_alloc(fd, (unsigned int)min, (unsigned int)max,
				       with_spid ? &s : NULL, &ids[got]);
		if (ret) {
			errmsg(ret, "%s: ID %u of %llu", g->dev, i + 1, count);
			status = EXIT_FAIL;
			if (!partial)
				break;
			continue;
		}
		if (with_spid)
			printf("%u spid %u\n", ids[got], s);
		else
			printf("%u\n", ids[got]);
		got++;
	}

	if (hold && (status != EXIT_FAIL || partial)) {
		printf("holding %u\n", got);
		fflush(stdout);
		while (!stop)
			sigsuspend(&old);
	}
	fflush(stdout);

	for (i = 0; i < got; i++) {
		ret = ioasid_dev_free(fd, ids[i]);
		if (ret) {
			errmsg(ret, "%s: free ID %u", g->dev, ids[i]);
			status = EXIT_FAIL;
		}
	}
	close(fd);
	free(ids);
	return status;
}
