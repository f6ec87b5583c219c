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
/* The length of the valid UTF-8 sequence at @p (not overlong, no surrogate), or 0 */
static size_t utf8_len(const unsigned char *p)
{
	unsigned int c = p[0], n, i, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

json_t *json_bytes(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), w = 0, n;
	json_t *j;
	char *buf;

	/* At most four bytes for one */
	buf = malloc(4 * len + 1);
	if (!buf)
		return NULL;
	while (*p) {
		n = utf8_len(p);
		if (n) {
			memcpy(buf + w, p, n);
			w += n;
			p += n;
		} else {
			w += (size_t)snprintf(buf + w, 5, "\\x%02x", *p++);
		}
	}
	buf[w] = '\0';
	j = json_stringn(buf, w);
	free(buf);
	return j;
}

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
