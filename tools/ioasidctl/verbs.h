/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOASIDCTL_VERBS_H
#define IOASIDCTL_VERBS_H

int usage_error(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#include <stdbool.h>
#include <stddef.h>

/* Remove every --json from argv; true if there was one */
bool json_flag(int *argc, char **argv);
/* Replace "--unit NAME" with the path of that systemd unit's cgroup in path */
int unit_flag(int *argc, char **argv, char *path, size_t len);
int cmd_tree(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_enable(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_watch(int argc, char **argv);

#endif
