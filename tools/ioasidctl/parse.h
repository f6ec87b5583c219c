/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strict parsing of what the user and the kernel's files hand ioasidctl:
 * numbers, limits, ID ranges, ioasids.events lines, mountinfo escapes.
 * Pure functions over strings, unit-tested and fuzzed.
 */
#ifndef IOASIDCTL_PARSE_H
#define IOASIDCTL_PARSE_H

/* Decimal in [0, @maxval]: 0, -EINVAL or -ERANGE; *@out untouched on error */
int parse_uint(const char *s, unsigned long long maxval, unsigned long long *out);
/* "max" (-1) or a count in [0, 1 << 20], as ioasids.max takes */
int parse_limit(const char *s, long long *out);
/* "FIRST-LAST", both in [0, @maxval], FIRST <= LAST */
int parse_range(const char *s, unsigned long long maxval, unsigned long long *first,
		unsigned long long *last);
/* "max N", a line of ioasids.events */
int parse_events(const char *s, unsigned long long *out);
/* Seconds, "2" or "0.5" (at most 3 decimals), in [0.1, 3600], into ms */
int parse_seconds(const char *s, unsigned int *ms);
/* Decode mountinfo's \ooo escapes in place */
void unescape_octal(char *s);

#endif
