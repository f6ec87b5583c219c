// SPDX-License-Identifier: GPL-2.0
/*
 * ioasidctl: the admin tool for IOASIDs (PASIDs) and the ioasids cgroup
 * controller.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ioasidctl.h"
#include "verbs.h"

static const char *dev_path = IOASID_DEV_PATH;

/* One line, whatever a cgroup name holds: control characters escaped */
void errmsg(int err, const char *fmt, ...)
{
	char msg[2 * PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("ioasidctl: ", stderr);
	for (const char *c = msg; *c; c++) {
		if (*c == '\n')
			fputs("\\n", stderr);
		else if (*c == '\t' || (unsigned char)*c >= ' ')
			fputc(*c, stderr);
		else
			fprintf(stderr, "\\%03o", (unsigned char)*c);
	}
	if (err)
		fprintf(stderr, ": %s", strerror(err < 0 ? -err : err));
	fputc('\n', stderr);
}

int usage_error(const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ioasidctl: %s: ", verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'ioasidctl help')\n");
	return EXIT_USAGE;
}

static int cmd_info(int argc, char **argv)
{
	bool json = json_flag(&argc, argv);
	struct ioasid_info info;
	int fd, ret;

	if (argc > 1)
		return usage_error("info", "unexpected argument '%s'", argv[1]);
	fd = ioasid_dev_open(dev_path);
	if (fd < 0) {
		errmsg(fd, "%s", dev_path);
		return EXIT_FAIL;
	}
	ret = ioasid_dev_info(fd, &info);
	close(fd);
	if (ret) {
		errmsg(ret, "%s: info", dev_path);
		return EXIT_FAIL;
	}
	if (json) {
		json_t *o = json_pack("{s:i, s:i, s:i}", "capacity", (json_int_t)info.capacity,
				      "free", (json_int_t)info.free,
				      "used", (json_int_t)(info.capacity - info.free));
		char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

		puts(text);
		free(text);
		json_decref(o);
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

static int cmd_alloc(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count",   required_argument, NULL, 'n' },
		{ "min",     required_argument, NULL, 'm' },
		{ "max",     required_argument, NULL, 'M' },
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
		case 'm':
			if (parse_uint(optarg, 0xfffffffeU, &min))
				return usage_error("alloc", "bad --min '%s'", optarg);
			break;
		case 'M':
			if (parse_uint(optarg, 0xfffffffeU, &max))
				return usage_error("alloc", "bad --max '%s'", optarg);
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
	fd = ioasid_dev_open(dev_path);
	if (fd < 0) {
		errmsg(fd, "%s", dev_path);
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
			errmsg(ret, "%s: ID %u of %llu", dev_path, i + 1, count);
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
			errmsg(ret, "%s: free ID %u", dev_path, ids[i]);
			status = EXIT_FAIL;
		}
	}
	close(fd);
	free(ids);
	return status;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	puts("usage: ioasidctl VERB [OPTIONS]\n"
	     "\n"
	     "CGROUP is a path relative to the cgroup2 mount, or absolute under it;\n"
	     "'--unit NAME' in its place names a systemd unit's cgroup.\n"
	     "\n"
	     "  tree [CGROUP] [--json] current, max, peak and refusals of every cgroup\n"
	     "                        with the controller, from CGROUP or the root\n"
	     "  get CGROUP [--json]   the ioasids numbers of one cgroup\n"
	     "  set CGROUP LIMIT      write ioasids.max: a count or 'max'\n"
	     "  enable CGROUP         enable the controller from the root down to\n"
	     "                        CGROUP, creating it if needed\n"
	     "  run [--cgroup CG] [--max N] COMMAND...\n"
	     "                        run COMMAND in CG (default: a new cgroup that is\n"
	     "                        removed afterwards) capped at N IDs\n"
	     "  watch CGROUP [--count N] [--json]\n"
	     "                        print a line for each refusal by a limit in\n"
	     "                        CGROUP's subtree\n"
	     "  info [--json]         system capacity, free and used IDs (/dev/ioasid)\n"
	     "  alloc [-n N] [--min A] [--max B] [--spid S] [--hold] [--partial]\n"
	     "                        take N IDs, print them, hold them until\n"
	     "                        SIGINT/SIGTERM with --hold, then free them\n"
	     "  help                  this text\n"
	     "\n"
	     "Exit status: 0 ok, 1 failure, 2 usage error.");
	return EXIT_OK;
}

static const struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	bool cgroup;	/* takes a CGROUP, which --unit NAME may stand for */
} verbs[] = {
	{ "tree", cmd_tree, true },
	{ "get", cmd_get, true },
	{ "set", cmd_set, true },
	{ "enable", cmd_enable, true },
	{ "run", cmd_run, false },
	{ "watch", cmd_watch, true },
	{ "info", cmd_info, false },
	{ "alloc", cmd_alloc, false },
	{ "help", cmd_help, false },
};

int main(int argc, char **argv)
{
	const char *env = getenv("IOASIDCTL_DEV");
	static char unit_path[PATH_MAX];
	size_t i;
	int ret;

	/* Lines reach a pipe in order with the errors on stderr */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (env && *env)
		dev_path = env;
	if (argc < 2) {
		cmd_help(0, NULL);
		return EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(verbs); i++) {
		if (strcmp(argv[1], verbs[i].name))
			continue;
		argc--;
		argv++;
		if (verbs[i].cgroup) {
			ret = unit_flag(&argc, argv, unit_path, sizeof(unit_path));
			if (ret)
				return ret;
		}
		return verbs[i].fn(argc, argv);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(0, NULL);
	return usage_error(argv[1], "unknown verb");
}
