// SPDX-License-Identifier: GPL-2.0
/*
 * ioasidctl: the admin tool for IOASIDs (PASIDs) and the ioasids cgroup
 * controller.
 *
 * Layers, each calling only those below it:
 *   ioasidctl.c                      global options, dispatch, help
 *   verbs_cgroup.c, verbs_holders.c, verbs_dev.c   the verbs, by object
 *   cgroupfs.c, unit.c, ioasid_dev.c, holders.c, output.c, parse.c   the library
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ioasid_dev.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

static int cmd_help(const struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	puts("usage: ioasidctl [--json] [--unit NAME] VERB [OPTIONS]\n"
	     "\n"
	     "CGROUP is a path relative to the cgroup2 mount, or absolute under it;\n"
	     "'--unit NAME' in its place names a systemd unit's cgroup. --json and\n"
	     "--unit may stand before or after the verb.\n"
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
	     "  ps [CGROUP] [--json]  the processes holding IDs through /dev/ioasid,\n"
	     "                        those charged in CGROUP's subtree if given\n"
	     "  top [-d SECONDS] [-n N] [-b] [CGROUP]\n"
	     "                        the cgroups by use, refreshed every SECONDS,\n"
	     "                        with the rate of refusals; q quits\n"
	     "  info [--json]         system capacity, free and used IDs (/dev/ioasid)\n"
	     "  alloc [-n N] [--range A-B] [--spid S] [--hold] [--partial]\n"
	     "                        take N IDs in [A, B], print them, hold them until\n"
	     "                        SIGINT/SIGTERM with --hold, then free them\n"
	     "  help                  this text\n"
	     "\n"
	     "Exit status: 0 ok, 1 failure, 2 usage error.");
	return EXIT_OK;
}

/* The global options a verb takes */
#define G_JSON	0x1
#define G_UNIT	0x2

static const struct verb {
	const char *name;
	int (*fn)(const struct gopts *g, int argc, char **argv);
	unsigned int globals;
} verbs[] = {
	{ "tree", cmd_tree, G_JSON | G_UNIT },
	{ "get", cmd_get, G_JSON | G_UNIT },
	{ "set", cmd_set, G_UNIT },
	{ "enable", cmd_enable, G_UNIT },
	{ "run", cmd_run, 0 },
	{ "watch", cmd_watch, G_JSON | G_UNIT },
	{ "ps", cmd_ps, G_JSON },
	{ "top", cmd_top, 0 },
	{ "info", cmd_info, G_JSON },
	{ "alloc", cmd_alloc, 0 },
	{ "help", cmd_help, 0 },
};

/*
 * A global option at argv[*i], if @allowed takes it: recorded in @g and
 * consumed (with --unit's NAME). 1 if it was one, 0 if not, or -EXIT_USAGE.
 */
static int global_option(const char *verb, unsigned int allowed, struct gopts *g,
			 int argc, char **argv, int *i)
{
	const char *a = argv[*i];

	if ((allowed & G_JSON) && !strcmp(a, "--json")) {
		g->json = true;
		return 1;
	}
	if (!(allowed & G_UNIT) ||
	    (strcmp(a, "--unit") && strcmp(a, "-u") && strncmp(a, "--unit=", 7)))
		return 0;
	if (g->unit)
		return -usage_error(verb, "--unit given twice");
	if (a[1] == '-' && a[6] == '=')
		g->unit = a + 7;
	else if (*i + 1 < argc)
		g->unit = argv[++*i];
	if (!g->unit || !*g->unit)
		return -usage_error(verb, "--unit needs a unit NAME");
	return 1;
}

/*
 * The one pass over the command line: global options before the verb,
 * the verb, then the verb's arguments, out of which the global options it
 * takes are removed (up to "--"), so that it sees only its own. An option
 * the verb does not take is left to it, to complain about as about any
 * other argument; "run" takes none, leaving COMMAND's arguments alone.
 * argv[0] becomes the verb, as getopt_long() and the messages want.
 */
static int parse_globals(struct gopts *g, int *argc, char **argv, const struct verb **verb)
{
	const struct verb *v = NULL;
	bool before = false;
	int i, w = 0, ret;
	size_t k;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (v && !strcmp(a, "--")) {
			while (i < *argc)
				argv[w++] = argv[i++];
			break;
		}
		ret = global_option(v ? v->name : NULL, v ? v->globals : G_JSON | G_UNIT, g,
				    *argc, argv, &i);
		if (ret < 0)
			return -ret;
		if (ret) {
			before |= !v;
			continue;
		}
		if (v) {
			argv[w++] = argv[i];
			continue;
		}
		/* The verb */
		for (k = 0; k < ARRAY_SIZE(verbs) && !v; k++) {
			if (!strcmp(a, verbs[k].name))
				v = &verbs[k];
		}
		if (!v && (!strcmp(a, "--help") || !strcmp(a, "-h")))
			v = &verbs[ARRAY_SIZE(verbs) - 1];
		if (!v)
			return usage_error(a, a[0] == '-' ? "unknown option" : "unknown verb");
		argv[w++] = (char *)v->name;
	}
	*verb = v;
	if (!v)
		return EXIT_OK;
	/* Given before the verb, they were taken whatever it was */
	if (before && g->json && !(v->globals & G_JSON))
		return usage_error(v->name, "takes no --json");
	if (before && g->unit && !(v->globals & G_UNIT))
		return usage_error(v->name, "takes no --unit");
	argv[w] = NULL;
	*argc = w;
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *env = getenv("IOASIDCTL_DEV");
	struct gopts g = { .dev = IOASID_DEV_PATH };
	const struct verb *v = NULL;
	int ret;

	/* Lines reach a pipe in order with the errors on stderr */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (env && *env)
		g.dev = env;
	ret = parse_globals(&g, &argc, argv, &v);
	if (ret)
		return ret;
	if (!v) {
		cmd_help(&g, 0, NULL);
		return EXIT_USAGE;
	}
	return v->fn(&g, argc, argv);
}
