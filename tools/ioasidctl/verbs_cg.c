// SPDX-License-Identifier: GPL-2.0
/* ioasidctl verbs over cgroupfs: tree, get, set, enable, run, watch */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "ioasidctl.h"
#include "verbs.h"

struct cg_stats {
	bool root;
	char max[32];
	unsigned long long current, peak, events, events_local, capacity;
};

/* The ioasids numbers of the cgroup at @dir; -ENOENT without the controller */
static int cg_stats(const char *dir, bool root, struct cg_stats *st)
{
	char buf[64];
	int ret;

	memset(st, 0, sizeof(*st));
	st->root = root;
	ret = cg_read(dir, "ioasids.current", buf, sizeof(buf));
	if (ret)
		return ret;
	if (parse_uint(buf, ~0ULL, &st->current))
		return -EIO;
	if (root) {
		ret = cg_read(dir, "ioasids.capacity", buf, sizeof(buf));
		if (!ret && parse_uint(buf, ~0ULL, &st->capacity))
			return -EIO;
		return ret;
	}
	ret = cg_read(dir, "ioasids.max", st->max, sizeof(st->max));
	if (!ret)
		ret = cg_read(dir, "ioasids.peak", buf, sizeof(buf));
	if (!ret && parse_uint(buf, ~0ULL, &st->peak))
		return -EIO;
	if (!ret)
		ret = cg_read(dir, "ioasids.events", buf, sizeof(buf));
	if (!ret && parse_events(buf, &st->events))
		return -EIO;
	if (!ret)
		ret = cg_read(dir, "ioasids.events.local", buf, sizeof(buf));
	if (!ret && parse_events(buf, &st->events_local))
		return -EIO;
	return ret;
}

static json_t *stats_json(const char *rel, const struct cg_stats *st)
{
	json_t *o = json_object();

	json_object_set_new(o, "cgroup", json_string(*rel ? rel : "/"));
	json_object_set_new(o, "current", json_integer((json_int_t)st->current));
	if (st->root) {
		json_object_set_new(o, "capacity", json_integer((json_int_t)st->capacity));
		return o;
	}
	if (!strcmp(st->max, "max"))
		json_object_set_new(o, "max", json_string("max"));
	else
		json_object_set_new(o, "max", json_integer(strtoll(st->max, NULL, 10)));
	json_object_set_new(o, "peak", json_integer((json_int_t)st->peak));
	json_object_set_new(o, "events", json_integer((json_int_t)st->events));
	json_object_set_new(o, "events_local", json_integer((json_int_t)st->events_local));
	return o;
}

static void stats_row(const char *name, int depth, const struct cg_stats *st)
{
	char label[PATH_MAX + 64];

	snprintf(label, sizeof(label), "%*s%s", depth * 2, "", name);
	if (st->root)
		printf("%-40s %8llu %8s %8s %8s %8s  capacity %llu\n", label,
		       st->current, "-", "-", "-", "-", st->capacity);
	else
		printf("%-40s %8llu %8s %8llu %8llu %8llu\n", label, st->current,
		       st->max, st->peak, st->events, st->events_local);
}

struct walk {
	const char *mnt;
	json_t *arr;
	int err;
	unsigned int count;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_tree(struct walk *w, const char *rel, int depth)
{
	char dir[PATH_MAX], child[PATH_MAX];
	struct cg_stats st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	DIR *d;
	int ret;

	snprintf(dir, sizeof(dir), "%s%s%s", w->mnt, *rel ? "/" : "", rel);
	ret = cg_stats(dir, !*rel, &st);
	if (ret == -ENOENT)
		return;		/* no controller here, nor below */
	if (ret) {
		errmsg(ret, "%s", dir);
		w->err = ret;
		return;
	}
	w->count++;
	if (w->arr)
		json_array_append_new(w->arr, stats_json(rel, &st));
	else
		stats_row(*rel ? strrchr(dir, '/') + 1 : "/", depth, &st);

	d = opendir(dir);
	if (!d) {
		errmsg(-errno, "%s", dir);
		w->err = -errno;
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		char **grown = realloc(names, (n + 1) * sizeof(*names));

		if (!grown || !(grown[n] = strdup(de->d_name))) {
			names = grown ? grown : names;
			errmsg(-ENOMEM, "%s", dir);
			w->err = -ENOMEM;
			break;
		}
		names = grown;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "", names[i]);
		walk_tree(w, child, depth + 1);
		free(names[i]);
	}
	free(names);
}

static int resolve_arg(const char *verb, const char *arg, char *mnt, char *rel,
		       char *dir)
{
	int ret = cg_mount(mnt, PATH_MAX);

	if (ret) {
		errmsg(ret, "%s: cannot find the cgroup2 mount", verb);
		return EXIT_FAIL;
	}
	if (!arg || !strcmp(arg, "/")) {
		rel[0] = '\0';
	} else {
		ret = cg_resolve(mnt, arg, rel, PATH_MAX);
		if (ret == -EXDEV) {
			errmsg(0, "%s: %s: not a cgroup under %s", verb, arg, mnt);
			return EXIT_FAIL;
		}
		if (ret) {
			errmsg(ret, "%s: %s", verb, arg);
			return EXIT_FAIL;
		}
	}
	snprintf(dir, PATH_MAX, "%s%s%s", mnt, *rel ? "/" : "", rel);
	return EXIT_OK;
}

bool json_flag(int *argc, char **argv)
{
	int i, j;
	bool found = false;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			for (j = i; j < *argc - 1; j++)
				argv[j] = argv[j + 1];
			(*argc)--;
			i--;
			found = true;
		}
	}
	return found;
}

static int enable_path(const char *mnt, const char *rel);

/* The CGROUP argument named a systemd unit: set enables the path to it */
static bool via_unit;

int unit_flag(int *argc, char **argv, char *path, size_t len)
{
	char mnt[PATH_MAX], cg[PATH_MAX];
	int i, j, ret;

	for (i = 1; i < *argc; i++)
		if (!strcmp(argv[i], "--unit") || !strcmp(argv[i], "-u"))
			break;
	if (i == *argc)
		return EXIT_OK;
	if (i + 1 == *argc)
		return usage_error(argv[0], "--unit needs a unit NAME");
	if (unit_cgroup(argv[i + 1], cg, sizeof(cg)))
		return EXIT_FAIL;
	ret = cg_mount(mnt, sizeof(mnt));
	if (ret) {
		errmsg(ret, "%s: cannot find the cgroup2 mount", argv[0]);
		return EXIT_FAIL;
	}
	snprintf(path, len, "%s%s", mnt, cg);
	argv[i] = path;
	for (j = i + 1; j < *argc - 1; j++)
		argv[j] = argv[j + 1];
	(*argc)--;
	via_unit = true;
	return EXIT_OK;
}

static void json_print(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	puts(s);
	free(s);
	json_decref(j);
}

int cmd_tree(int argc, char **argv)
{
	char mnt[PATH_MAX], rel[PATH_MAX], dir[PATH_MAX];
	bool json = json_flag(&argc, argv);
	struct walk w = { 0 };
	int ret;

	if (argc > 2)
		return usage_error("tree", "unexpected argument '%s'", argv[2]);
	ret = resolve_arg("tree", argc > 1 ? argv[1] : NULL, mnt, rel, dir);
	if (ret)
		return ret;
	w.mnt = mnt;
	if (json)
		w.arr = json_array();
	else
		printf("%-40s %8s %8s %8s %8s %8s\n", "CGROUP", "CURRENT", "MAX",
		       "PEAK", "EVENTS", "LOCAL");
	walk_tree(&w, rel, 0);
	if (!w.count && !w.err) {
		errmsg(0, "tree: %s: the ioasids controller is not enabled here", dir);
		json_decref(w.arr);
		return EXIT_FAIL;
	}
	if (json)
		json_print(w.arr);
	return w.err ? EXIT_FAIL : EXIT_OK;
}

int cmd_get(int argc, char **argv)
{
	char mnt[PATH_MAX], rel[PATH_MAX], dir[PATH_MAX];
	bool json = json_flag(&argc, argv);
	struct cg_stats st;
	int ret;

	if (argc != 2)
		return usage_error("get", argc < 2 ? "missing CGROUP" : "unexpected argument '%s'",
				   argv[argc - 1]);
	ret = resolve_arg("get", argv[1], mnt, rel, dir);
	if (ret)
		return ret;
	ret = cg_stats(dir, !*rel, &st);
	if (ret) {
		errmsg(ret, "get: %s/ioasids.*", dir);
		return EXIT_FAIL;
	}
	if (json) {
		json_print(stats_json(rel, &st));
	} else if (st.root) {
		printf("current %llu\ncapacity %llu\n", st.current, st.capacity);
	} else {
		printf("max %s\ncurrent %llu\npeak %llu\nevents %llu\nevents.local %llu\n",
		       st.max, st.current, st.peak, st.events, st.events_local);
	}
	return EXIT_OK;
}

int cmd_set(int argc, char **argv)
{
	char mnt[PATH_MAX], rel[PATH_MAX], dir[PATH_MAX];
	long long limit;
	int ret;

	if (argc != 3)
		return usage_error("set", "expected CGROUP LIMIT");
	if (parse_limit(argv[2], &limit))
		return usage_error("set", "bad limit '%s': 'max' or 0..1048576", argv[2]);
	ret = resolve_arg("set", argv[1], mnt, rel, dir);
	if (ret)
		return ret;
	if (!*rel) {
		errmsg(0, "set: %s: the root cgroup has no limit", dir);
		return EXIT_FAIL;
	}
	/* A systemd that does not know the controller leaves it alone */
	if (via_unit && enable_path(mnt, rel))
		return EXIT_FAIL;
	ret = cg_write(dir, "ioasids.max", argv[2]);
	if (ret) {
		errmsg(ret, "set: %s/ioasids.max", dir);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * Open @name in @dirfd as a directory of the cgroup2 mount, following no
 * symlink: -EXDEV if it is anything else (a symlink, another filesystem
 * mounted on a cgroup directory).
 */
static int cg_openat(int dirfd, const char *name)
{
	struct statfs sfs;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP || errno == ENOTDIR ? -EXDEV : -errno;
	if (fstatfs(fd, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		close(fd);
		return -EXDEV;
	}
	return fd;
}

static int cg_writeat(int dirfd, const char *file, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = openat(dirfd, file, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	close(fd);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/*
 * Enable the controller from the root down to @rel's parent, creating @rel.
 * Walks down with openat() from the mount, so that no symlink or other
 * mount on the way can lead the writes and mkdir()s out of cgroupfs.
 */
static int enable_path(const char *mnt, const char *rel)
{
	char dir[PATH_MAX], buf[4096], name[NAME_MAX + 1];
	const char *p = rel;
	int fd, next, ret;
	size_t len;

	ret = cg_read(mnt, "cgroup.controllers", buf, sizeof(buf));
	if (ret) {
		errmsg(ret, "%s/cgroup.controllers", mnt);
		return ret;
	}
	if (!strstr(buf, "ioasids")) {
		errmsg(0, "%s: the ioasids controller is not available (no CONFIG_CGROUP_IOASIDS, or it is bound to a v1 hierarchy)",
		       mnt);
		return -ENOENT;
	}
	fd = cg_openat(AT_FDCWD, mnt);
	if (fd < 0) {
		errmsg(fd, "%s", mnt);
		return fd;
	}
	snprintf(dir, sizeof(dir), "%s", mnt);
	for (;;) {
		ret = cg_writeat(fd, "cgroup.subtree_control", "+ioasids");
		if (ret) {
			errmsg(ret, "%s/cgroup.subtree_control", dir);
			break;
		}
		while (*p == '/')
			p++;
		if (!*p)
			break;
		len = strcspn(p, "/");
		if (len > NAME_MAX || strlen(dir) + 1 + len >= sizeof(dir)) {
			ret = -ENAMETOOLONG;
			errmsg(ret, "%s", rel);
			break;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		p += len;
		strcat(dir, "/");
		strcat(dir, name);
		if (mkdirat(fd, name, 0755) && errno != EEXIST) {
			ret = -errno;
			errmsg(ret, "%s", dir);
			break;
		}
		next = cg_openat(fd, name);
		if (next < 0) {
			ret = next;
			if (ret == -EXDEV)
				errmsg(0, "%s: not a cgroup under %s", dir, mnt);
			else
				errmsg(ret, "%s", dir);
			break;
		}
		close(fd);
		fd = next;
		while (*p == '/')
			p++;
		if (!*p)
			break;
	}
	close(fd);
	return ret;
}

int cmd_enable(int argc, char **argv)
{
	char mnt[PATH_MAX], rel[PATH_MAX];
	int ret;

	if (argc != 2)
		return usage_error("enable", "expected CGROUP");
	ret = cg_mount(mnt, sizeof(mnt));
	if (ret) {
		errmsg(ret, "enable: cannot find the cgroup2 mount");
		return EXIT_FAIL;
	}
	/* The cgroup may not exist yet: check the path as text */
	if (strstr(argv[1], "..")) {
		errmsg(0, "enable: %s: not a cgroup under %s", argv[1], mnt);
		return EXIT_FAIL;
	}
	if (argv[1][0] == '/') {
		size_t m = strlen(mnt);

		if (strncmp(argv[1], mnt, m) || (argv[1][m] && argv[1][m] != '/')) {
			errmsg(0, "enable: %s: not a cgroup under %s", argv[1], mnt);
			return EXIT_FAIL;
		}
		snprintf(rel, sizeof(rel), "%s", argv[1] + m);
	} else {
		snprintf(rel, sizeof(rel), "%s", argv[1]);
	}
	ret = enable_path(mnt, rel[0] == '/' ? rel + 1 : rel);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "max",    required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	char mnt[PATH_MAX], rel[PATH_MAX], dir[PATH_MAX], pid[32];
	const char *cg = NULL, *max = NULL;
	bool created = false;
	long long limit;
	int c, ret, status;
	pid_t child;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+c:m:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cg = optarg;
			break;
		case 'm':
			if (parse_limit(optarg, &limit))
				return usage_error("run", "bad --max '%s'", optarg);
			max = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("run", "missing COMMAND");
	ret = cg_mount(mnt, sizeof(mnt));
	if (ret) {
		errmsg(ret, "run: cannot find the cgroup2 mount");
		return EXIT_FAIL;
	}
	if (cg) {
		if (strstr(cg, "..") || cg[0] == '/')
			return usage_error("run", "--cgroup takes a path relative to %s", mnt);
		snprintf(rel, sizeof(rel), "%s", cg);
	} else {
		snprintf(rel, sizeof(rel), "ioasidctl-run.%d", (int)getpid());
	}
	if (snprintf(dir, sizeof(dir), "%s/%s", mnt, rel) >= (int)sizeof(dir)) {
		errmsg(-ENAMETOOLONG, "run: %s", rel);
		return EXIT_FAIL;
	}
	/* Only the cgroup run names itself is removed afterwards */
	created = !cg && access(dir, F_OK) != 0;
	if (enable_path(mnt, rel))
		return EXIT_FAIL;
	if (max) {
		ret = cg_write(dir, "ioasids.max", max);
		if (ret) {
			errmsg(ret, "run: %s/ioasids.max", dir);
			goto out_rmdir;
		}
	}

	child = fork();
	if (child < 0) {
		errmsg(-errno, "run: fork");
		goto out_rmdir;
	}
	if (!child) {
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		ret = cg_write(dir, "cgroup.procs", pid);
		if (ret) {
			errmsg(ret, "run: %s/cgroup.procs", dir);
			_exit(EXIT_FAIL);
		}
		execvp(argv[optind], argv + optind);
		errmsg(-errno, "run: %s", argv[optind]);
		_exit(127);
	}
	signal(SIGINT, SIG_IGN);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (created)
		rmdir(dir);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);

out_rmdir:
	if (created)
		rmdir(dir);
	return EXIT_FAIL;
}

int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	char mnt[PATH_MAX], rel[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32];
	bool json = json_flag(&argc, argv);
	unsigned long long count = 0, seen = 0, prev, now, i;
	char buf[64];
	struct pollfd pfd;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c != 'n' || parse_uint(optarg, ~0ULL, &count))
			return usage_error("watch", "bad --count");
	}
	if (optind != argc - 1)
		return usage_error("watch", "expected CGROUP");
	ret = resolve_arg("watch", argv[optind], mnt, rel, dir);
	if (ret)
		return ret;
	if (!*rel) {
		errmsg(0, "watch: %s: the root cgroup has no limit to watch", dir);
		return EXIT_FAIL;
	}
	snprintf(path, sizeof(path), "%s/ioasids.events", dir);
	pfd.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (pfd.fd < 0) {
		errmsg(-errno, "watch: %s", path);
		return EXIT_FAIL;
	}
	pfd.events = POLLPRI;
	if (pread(pfd.fd, buf, sizeof(buf) - 1, 0) < 0 ||
	    (buf[sizeof(buf) - 1] = 0, parse_events(strtok(buf, "\n"), &prev))) {
		errmsg(-EIO, "watch: %s", path);
		return EXIT_FAIL;
	}
	if (!json)
		printf("watching %s (refusals so far: %llu)\n", dir, prev);
	fflush(stdout);
	while (!count || seen < count) {
		ssize_t n;

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			errmsg(-errno, "watch: poll %s", path);
			return EXIT_FAIL;
		}
		n = pread(pfd.fd, buf, sizeof(buf) - 1, 0);
		if (n < 0) {
			errmsg(-errno, "watch: %s", path);
			return EXIT_FAIL;
		}
		buf[n] = '\0';
		if (parse_events(strtok(buf, "\n"), &now))
			continue;
		/* One line per refusal, however many a wakeup covers */
		for (i = prev; i < now && (!count || seen < count); i++, seen++) {
			time_t t = time(NULL);
			char ts[32];

			strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", localtime(&t));
			if (json) {
				json_t *o = json_object();

				json_object_set_new(o, "time", json_string(ts));
				json_object_set_new(o, "cgroup", json_string(rel));
				json_object_set_new(o, "events", json_integer((json_int_t)i + 1));
				json_print(o);
			} else {
				printf("%s %s refused (events %llu)\n", ts, rel, i + 1);
			}
		}
		fflush(stdout);
		prev = now;
	}
	close(pfd.fd);
	return EXIT_OK;
}
