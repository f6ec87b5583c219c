/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOASIDCTL_H
#define IOASIDCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/ioasid.h>

#define IOASID_DEV_PATH	"/dev/ioasid"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* parse.c: strict number parsing, shared by the verbs and unit-tested */
int parse_uint(const char *s, unsigned long long maxval, unsigned long long *out);
int parse_limit(const char *s, long long *out);	/* "max" -> -1 */

/* ioasid_dev.c */
int ioasid_dev_open(const char *path);
int ioasid_dev_info(int fd, struct ioasid_info *info);
int ioasid_dev_alloc(int fd, unsigned int min, unsigned int max,
		     const unsigned int *spid, unsigned int *id);
int ioasid_dev_free(int fd, unsigned int id);

/* cgroup.c */
#include <stdio.h>
int cg_find_mount(FILE *mountinfo, char *buf, size_t len);
int cg_mount(char *buf, size_t len);
void unescape_octal(char *s);
int cg_resolve(const char *mnt, const char *path, char *rel, size_t len);
int cg_read(const char *dir, const char *file, char *buf, size_t len);
int cg_write(const char *dir, const char *file, const char *val);
int parse_events(const char *s, unsigned long long *out);

/* unit.c: a systemd unit's cgroup, relative to the cgroup2 mount */
const char *unit_interface(const char *name);
int unit_cgroup(const char *name, char *buf, size_t len);

/* Print "ioasidctl: <what>: <strerror(-err)>" on stderr */
void errmsg(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
