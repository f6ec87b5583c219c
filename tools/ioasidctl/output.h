/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ioasidctl prints besides its tables: errors, one line each on
 * stderr, and JSON documents on stdout, all through here.
 */
#ifndef IOASIDCTL_OUTPUT_H
#define IOASIDCTL_OUTPUT_H

#include <jansson.h>

/* Exit statuses */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* "ioasidctl: <what>[: <strerror(-err)>]", control characters escaped */
void errmsg(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "ioasidctl: [<verb>: ]<what> (see 'ioasidctl help')"; returns EXIT_USAGE */
int usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A JSON string of @s, which may be any bytes (a comm cut mid-character, a
 * cgroup name): valid UTF-8 as it is, each byte that is not written \xHH.
 * NULL only without memory.
 */
json_t *json_bytes(const char *s);
/* Print @j as one compact line and drop the reference; 0 or -ENOMEM */
int json_print(json_t *j);

#endif
