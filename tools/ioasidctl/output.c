// SPDX-License-Identifier: GPL-2.0
/*
 * ioasidctl's errors and JSON. An error is one line on stderr, whatever a
 * cgroup name holds, so that scripts and journals can take it line by
 * line; JSON is one compact document per line on stdout, keys in the
 * order the verbs set them.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* @msg with control characters escaped: a newline in a name stays on the line */
static void put_escaped(const char *msg)
{
	for (const char *c = msg; *c; c++) {
		if (*c == '\n')
			fputs("\\n", stderr);
		else if (*c == '\t' || (unsigned char)*c >= ' ')
			fputc(*c, stderr);
		else
			fprintf(stderr, "\\%03o", (unsigned char)*c);
	}
}

void errmsg(int err, const char *fmt, ...)
{
	char msg[2 * PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("ioasidctl: ", stderr);
	put_escaped(msg);
	if (err)
		fprintf(stderr, ": %s", strerror(err < 0 ? -err : err));
	fputc('\n', stderr);
}

int usage_error(const char *verb, const char *fmt, ...)
{
	char msg[2 * PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("ioasidctl: ", stderr);
	if (verb) {
		put_escaped(verb);
		fputs(": ", stderr);
	}
	put_escaped(msg);
	fputs(" (see 'ioasidctl help')\n", stderr);
	return EXIT_USAGE;
}

/* The one JSON writer: every --json result goes out through here */
int json_print(json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(j);
	if (!text) {
		errmsg(-ENOMEM, "JSON output");
		return -ENOMEM;
	}
	puts(text);
	free(text);
	return 0;
}
