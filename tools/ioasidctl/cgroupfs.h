/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup2 access for ioasidctl: find the mount, resolve a user's cgroup
 * path under it, read and write a cgroup's files. Returns -errno and
 * prints nothing.
 */
#ifndef IOASIDCTL_CGROUPFS_H
#define IOASIDCTL_CGROUPFS_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* The cgroup2 mount, open: where every resolution starts */
struct cgfs {
	char mnt[PATH_MAX];	/* its path, without a trailing slash */
	int fd;			/* its root directory */
	dev_t dev;		/* the filesystem every cgroup directory is on */
};

/* The cgroup2 mount point in a mountinfo stream (the first one) */
int cg_find_mount(FILE *mountinfo, char *buf, size_t len);
/* $IOASIDCTL_CGROUP_ROOT, else the cgroup2 mount of /proc/self/mountinfo */
int cg_mount(char *buf, size_t len);
/* Open @mnt as the root of the walks; any directory (the tests use tmpfs) */
int cgfs_open(struct cgfs *fs, const char *mnt);
void cgfs_close(struct cgfs *fs);
/* Is the root really cgroup2? */
bool cgfs_is_cgroup2(const struct cgfs *fs);

/*
 * One step of a walk: the cgroup directory @name in @dirfd, not following
 * a symlink, on the mount's filesystem. A new fd, or -errno: -EXDEV for a
 * symlink, a file or another filesystem.
 */
int cg_open_child(const struct cgfs *fs, int dirfd, const char *name);

/* What a walk does on its way, for the verbs that set a path up */
struct cg_walk {
	bool create;	/* mkdir() missing cgroups */
	/*
	 * Called on the mount's root first, then on each directory the walk
	 * descends out of (not on the target, unless it is the root), before
	 * anything below it is created. @rel is that directory's path. A
	 * non-zero return (-errno) stops the walk with it.
	 */
	int (*enter)(int dirfd, const char *rel, void *arg);
	void *arg;
};

/*
 * The one path resolver of ioasidctl: the cgroup @path names, relative to
 * the mount or absolute under it ("/" is the root), opened by walking it
 * from the mount's root one cg_open_child() at a time, so that no symlink
 * or other filesystem on the way leads out of cgroupfs. "." and empty
 * components are skipped; a ".." component is refused before anything is
 * opened (-EXDEV), as is an absolute path outside the mount. @walk may be
 * NULL.
 *
 * Returns the cgroup's directory fd, @rel holding its canonical path
 * relative to the mount ("" for the root). On error, -errno, and @rel
 * holds the path up to the component that failed ("" when the path was
 * refused before the walk), for messages.
 */
int cg_resolve(const struct cgfs *fs, const char *path, const struct cg_walk *walk,
	       char *rel, size_t len);

/* "mount/rel" ("mount" for the root): how messages name a cgroup */
void cg_path(const struct cgfs *fs, const char *rel, char *buf, size_t len);

/* Read a cgroup file (or another small file of a pseudo file system, such
 * as /proc/PID/comm) into @buf, without its trailing newlines */
int cg_readat(int dirfd, const char *file, char *buf, size_t len);
/* Write @val to a cgroup file in one write() */
int cg_writeat(int dirfd, const char *file, const char *val);

#endif
