// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup2 access for ioasidctl: find the mount, resolve a user's path
 * safely under it, read and write the ioasids.* files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ioasidctl.h"

/*
 * The cgroup2 mount from a mountinfo stream: the first line whose
 * filesystem type (after the " - " separator) is cgroup2. Works on hybrid
 * hosts where the v1 hierarchies are mounted too.
 */
int cg_find_mount(FILE *mountinfo, char *buf, size_t len)
{
	char *line = NULL;
	size_t cap = 0;
	int ret = -ENOENT;

	while (getline(&line, &cap, mountinfo) > 0) {
		char *mnt = line, *end, *sep;
		int i;

		sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		/*
		 * id parent major:minor root mount-point ...: split at spaces
		 * only, the kernel escapes those in a path but not \r or \f
		 */
		for (i = 0; i < 5; i++) {
			mnt += strspn(mnt, " ");
			if (i < 4)
				mnt += strcspn(mnt, " ");
		}
		if (mnt >= sep)
			continue;
		end = mnt + strcspn(mnt, " ");
		*end = '\0';
		unescape_octal(mnt);
		if (strlen(mnt) >= len) {
			ret = -ENAMETOOLONG;
			break;
		}
		strcpy(buf, mnt);
		ret = 0;
		break;
	}
	free(line);
	return ret;
}

int cg_mount(char *buf, size_t len)
{
	const char *env = getenv("IOASIDCTL_CGROUP_ROOT");
	FILE *f;
	int ret;

	if (env && *env) {
		if (strlen(env) >= len)
			return -ENAMETOOLONG;
		strcpy(buf, env);
		return 0;
	}
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	ret = cg_find_mount(f, buf, len);
	fclose(f);
	return ret;
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

/*
 * The cgroup @path names, relative to the mount @mnt or absolute under it,
 * as a path relative to the mount ("" for the root). Refuses ".." and
 * anything that leaves the mount once symlinks are resolved.
 */
int cg_resolve(const char *mnt, const char *path, char *rel, size_t len)
{
	char joined[PATH_MAX], real[PATH_MAX];
	size_t mlen = strlen(mnt);
	const char *p;

	if (!path || !*path)
		return -EINVAL;
	/* Reject any ".." component outright: no escaping the mount */
	for (p = path; (p = strstr(p, "..")); p += 2) {
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return -EXDEV;
	}
	if (path[0] == '/') {
		if (strncmp(path, mnt, mlen) || (path[mlen] && path[mlen] != '/'))
			return -EXDEV;
		if (snprintf(joined, sizeof(joined), "%s", path) >= (int)sizeof(joined))
			return -ENAMETOOLONG;
	} else if (snprintf(joined, sizeof(joined), "%s/%s", mnt, path) >=
		   (int)sizeof(joined)) {
		return -ENAMETOOLONG;
	}
	if (!realpath(joined, real))
		return -errno;
	if (strncmp(real, mnt, mlen) || (real[mlen] && real[mlen] != '/'))
		return -EXDEV;
	p = real + mlen;
	while (*p == '/')
		p++;
	if (strlen(p) >= len)
		return -ENAMETOOLONG;
	strcpy(rel, p);
	return 0;
}

/* Read a cgroup file into @buf, without its trailing newline */
int cg_read(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

int cg_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd, ret = 0;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

/* "max N" from ioasids.events */
int parse_events(const char *s, unsigned long long *out)
{
	if (strncmp(s, "max ", 4))
		return -EINVAL;
	return parse_uint(s + 4, ~0ULL, out);
}
