// SPDX-License-Identifier: GPL-2.0
/* Strict parsing of numbers and limits */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ioasidctl.h"

/*
 * A decimal number in [0, maxval]: digits only, no sign, no space, no
 * trailing junk. Returns 0, -EINVAL or -ERANGE.
 */
int parse_uint(const char *s, unsigned long long maxval, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > maxval)
		return -ERANGE;
	*out = v;
	return 0;
}

/* "max" or a count up to the largest capacity; "max" gives -1 */
int parse_limit(const char *s, long long *out)
{
	unsigned long long v;
	int ret;

	if (s && !strcmp(s, "max")) {
		*out = -1;
		return 0;
	}
	ret = parse_uint(s, 1ULL << 20, &v);
	if (ret)
		return ret;
	*out = (long long)v;
	return 0;
}
