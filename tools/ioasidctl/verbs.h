/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verbs, by object: verbs_cgroup.c (the ioasids controller over
 * cgroupfs), verbs_holders.c (who holds the IDs) and verbs_dev.c
 * (/dev/ioasid). main() takes the global options
 * out of argv and calls one, argv[0] being the verb's name.
 */
#ifndef IOASIDCTL_VERBS_H
#define IOASIDCTL_VERBS_H

#include <stdbool.h>

/* The global options, parsed once by main() */
struct gopts {
	const char *dev;	/* /dev/ioasid, or $IOASIDCTL_DEV */
	bool json;		/* --json */
	const char *unit;	/* --unit NAME: the CGROUP operand is NAME's cgroup */
};

/* verbs_cgroup.c */
int cmd_tree(const struct gopts *g, int argc, char **argv);
int cmd_get(const struct gopts *g, int argc, char **argv);
int cmd_set(const struct gopts *g, int argc, char **argv);
int cmd_enable(const struct gopts *g, int argc, char **argv);
int cmd_run(const struct gopts *g, int argc, char **argv);
int cmd_watch(const struct gopts *g, int argc, char **argv);

/* verbs_holders.c */
int cmd_ps(const struct gopts *g, int argc, char **argv);
int cmd_top(const struct gopts *g, int argc, char **argv);

/* verbs_dev.c */
int cmd_info(const struct gopts *g, int argc, char **argv);
int cmd_alloc(const struct gopts *g, int argc, char **argv);

#endif
