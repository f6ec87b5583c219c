// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup2 access for ioasidctl: find the mount, resolve a user's path
 * safely under it, read and write the ioasids.* and cgroup.* files.
 *
 * Every verb reaches its cgroup through cg_resolve(), one openat() per
 * component from the mount's root, so that they all agree on which paths
 * are acceptable and none can be led out of cgroupfs by a symlink or by
 * another filesystem mounted on a cgroup directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "cgroupfs.h"
#include "parse.h"

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

int cgfs_open(struct cgfs *fs, const char *mnt)
{
	size_t n = strlen(mnt);
	struct stat st;

	fs->fd = -1;
	/* "/sys/fs/cgroup/" is the same mount: compare paths without the slash */
	while (n > 1 && mnt[n - 1] == '/')
		n--;
	if (!n)
		return -EINVAL;
	if (n >= sizeof(fs->mnt))
		return -ENAMETOOLONG;
	memcpy(fs->mnt, mnt, n);
	fs->mnt[n] = '\0';
	fs->fd = open(fs->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs->fd < 0)
		return -errno;
	if (fstat(fs->fd, &st)) {
		int ret = -errno;

		cgfs_close(fs);
		return ret;
	}
	fs->dev = st.st_dev;
	return 0;
}

void cgfs_close(struct cgfs *fs)
{
	if (fs->fd >= 0)
		close(fs->fd);
	fs->fd = -1;
}

/*
 * Checked on the root only: the walks then compare st_dev, which also
 * refuses another cgroup2 superblock's, and lets the tests use a tmpfs
 */
bool cgfs_is_cgroup2(const struct cgfs *fs)
{
	struct statfs sfs;

	return !fstatfs(fs->fd, &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

int cg_open_child(const struct cgfs *fs, int dirfd, const char *name)
{
	struct stat st;
	int fd;

	/* One component: a name from readdir() or cut out by cg_resolve() */
	if (!strcmp(name, "..") || strchr(name, '/'))
		return -EXDEV;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP || errno == ENOTDIR ? -EXDEV : -errno;
	if (fstat(fd, &st) || st.st_dev != fs->dev) {
		close(fd);
		return -EXDEV;
	}
	return fd;
}

/* A ".." component anywhere in @path: refused as text, before any lookup */
static bool has_dotdot(const char *path)
{
	const char *p = path;

	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		if (!p[n])
			return false;
		p += n + 1;
	}
}

/* The next component of @p, skipping slashes and "."; NULL at the end */
static const char *next_name(const char *p, size_t *n)
{
	for (;;) {
		p += strspn(p, "/");
		if (!*p)
			return NULL;
		*n = strcspn(p, "/");
		if (*n != 1 || p[0] != '.')
			return p;
		p += 1;
	}
}

int cg_resolve(const struct cgfs *fs, const char *path, const struct cg_walk *walk,
	       char *rel, size_t len)
{
	size_t mlen = strlen(fs->mnt), used = 0, n;
	char name[NAME_MAX + 1];
	const char *p = path;
	int fd, next, ret;

	if (!len)
		return -ENAMETOOLONG;
	rel[0] = '\0';
	if (!path || !*path)
		return -EINVAL;
	/* Text first: nothing is opened, let alone created, for these */
	if (has_dotdot(path))
		return -EXDEV;
	if (path[0] == '/' && strcmp(path, "/")) {
		/* Under the mount: "/" itself contains everything */
		if (!strcmp(fs->mnt, "/"))
			mlen = 0;
		if (strncmp(path, fs->mnt, mlen) || (path[mlen] && path[mlen] != '/'))
			return -EXDEV;
		p = path + mlen;
	}

	fd = fcntl(fs->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (walk && walk->enter) {
		ret = walk->enter(fd, rel, walk->arg);
		if (ret)
			goto fail;
	}
	for (p = next_name(p, &n); p; ) {
		if (n > NAME_MAX) {
			ret = -ENAMETOOLONG;
			goto fail;
		}
		/* @rel grows with the walk, so that on failure it says where */
		if (used + !!used + n >= len) {
			ret = -ENAMETOOLONG;
			goto fail;
		}
		if (used)
			rel[used++] = '/';
		memcpy(rel + used, p, n);
		used += n;
		rel[used] = '\0';
		memcpy(name, p, n);
		name[n] = '\0';

		/* mkdirat() does not follow a symlink: EEXIST, then refused */
		if (walk && walk->create && mkdirat(fd, name, 0755) && errno != EEXIST) {
			ret = -errno;
			goto fail;
		}
		next = cg_open_child(fs, fd, name);
		if (next < 0) {
			ret = next;
			goto fail;
		}
		close(fd);
		fd = next;
		p = next_name(p + n, &n);
		if (p && walk && walk->enter) {
			ret = walk->enter(fd, rel, walk->arg);
			if (ret)
				goto fail;
		}
	}
	return fd;
fail:
	close(fd);
	return ret;
}

void cg_path(const struct cgfs *fs, const char *rel, char *buf, size_t len)
{
	bool slash = *rel && strcmp(fs->mnt, "/");

	snprintf(buf, len, "%s%s%s", fs->mnt, slash ? "/" : "", rel);
}

/* Read a cgroup file into @buf, without its trailing newline */
int cg_readat(int dirfd, const char *file, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
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

int cg_writeat(int dirfd, const char *file, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = openat(dirfd, file, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}
