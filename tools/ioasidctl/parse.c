// SPDX-License-Identifier: GPL-2.0
/* Strict parsing of numbers, limits, ranges and the lines of cgroup files */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* The digits at @s up to @term, in [0, maxval] */
static int parse_uint_to(const char *s, char term, unsigned long long maxval,
			 unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != term)
		return -EINVAL;
	if (errno == ERANGE || v > maxval)
		return -ERANGE;
	*out = v;
	return 0;
}

/*
 * A decimal number in [0, maxval]: digits only, no sign, no space, no
 * trailing junk. Returns 0, -EINVAL or -ERANGE.
 */
int parse_uint(const char *s, unsigned long long maxval, unsigned long long *out)
{
	return parse_uint_to(s, '\0', maxval, out);
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

/*
 * "FIRST-LAST", inclusive: the IDs alloc may take. One option rather than
 * a --min and a --max, so that --max means a limit wherever it appears.
 */
int parse_range(const char *s, unsigned long long maxval, unsigned long long *first,
		unsigned long long *last)
{
	unsigned long long a, b;
	const char *dash = s ? strchr(s, '-') : NULL;
	int ret;

	if (!dash)
		return -EINVAL;
	ret = parse_uint_to(s, '-', maxval, &a);
	if (!ret)
		ret = parse_uint(dash + 1, maxval, &b);
	if (ret)
		return ret;
	if (a > b)
		return -ERANGE;
	*first = a;
	*last = b;
	return 0;
}

/* "max N" from ioasids.events */
int parse_events(const char *s, unsigned long long *out)
{
	if (!s || strncmp(s, "max ", 4))
		return -EINVAL;
	return parse_uint(s + 4, ~0ULL, out);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
void unescape_octal(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' &&
		    r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* "SECONDS[.FRACTION]", as top's -d takes it: no sign, exponent or locale */
int parse_seconds(const char *s, unsigned int *ms)
{
	unsigned long long whole = 0, frac = 0;
	const char *dot = s ? strchr(s, '.') : NULL;
	size_t nfrac = 0;
	int ret;

	if (!s)
		return -EINVAL;
	ret = dot ? parse_uint_to(s, '.', 3600, &whole) : parse_uint(s, 3600, &whole);
	if (ret)
		return ret;
	if (dot) {
		nfrac = strlen(dot + 1);
		if (!nfrac || nfrac > 3)
			return -EINVAL;
		ret = parse_uint(dot + 1, 999, &frac);
		if (ret)
			return -EINVAL;
		while (nfrac++ < 3)
			frac *= 10;
	}
	if (whole * 1000 + frac < 100 || whole * 1000 + frac > 3600 * 1000)
		return -ERANGE;
	*ms = (unsigned int)(whole * 1000 + frac);
	return 0;
}
