// SPDX-License-Identifier: GPL-2.0
/* ioasidctl verbs over cgroupfs: tree, get, set, enable, run, watch */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroupfs.h"
#include "output.h"
#include "parse.h"
#include "unit.h"
#include "verbs.h"

struct cg_stats {
	bool root;
	char max[32];
	unsigned long long current, peak, events, events_local, capacity;
};

/* The ioasids numbers of the cgroup @fd; -ENOENT without the controller */
static int read_stats(int fd, bool root, struct cg_stats *st)
{
	char buf[64];
	int ret;

	memset(st, 0, sizeof(*st));
	st->root = root;
	ret = cg_readat(fd, "ioasids.current", buf, sizeof(buf));
	if (ret)
		return ret;
	if (parse_uint(buf, ~0ULL, &st->current))
		return -EIO;
	if (root) {
		ret = cg_readat(fd, "ioasids.capacity", buf, sizeof(buf));
		if (!ret && parse_uint(buf, ~0ULL, &st->capacity))
			return -EIO;
		return ret;
	}
	ret = cg_readat(fd, "ioasids.max", st->max, sizeof(st->max));
	if (!ret)
		ret = cg_readat(fd, "ioasids.peak", buf, sizeof(buf));
	if (!ret && parse_uint(buf, ~0ULL, &st->peak))
		return -EIO;
	if (!ret)
		ret = cg_readat(fd, "ioasids.events", buf, sizeof(buf));
	if (!ret && parse_events(buf, &st->events))
		return -EIO;
	if (!ret)
		ret = cg_readat(fd, "ioasids.events.local", buf, sizeof(buf));
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

/* A cgroup named on the command line, open */
struct target {
	struct cgfs fs;
	int fd;				/* the cgroup's directory */
	char rel[PATH_MAX];		/* relative to the mount, "" for the root */
	char dir[PATH_MAX];		/* the mount and rel, for messages */
	char unit_path[PATH_MAX];	/* --unit: the unit's cgroup */
};

static void target_close(struct target *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	cgfs_close(&t->fs);
}

static int open_mount(const char *verb, struct target *t)
{
	char mnt[PATH_MAX];
	int ret;

	t->fd = -1;
	t->fs.fd = -1;
	ret = cg_mount(mnt, sizeof(mnt));
	if (ret) {
		errmsg(ret, "%s: cannot find the cgroup2 mount", verb);
		return EXIT_FAIL;
	}
	ret = cgfs_open(&t->fs, mnt);
	if (ret) {
		errmsg(ret, "%s: %s", verb, mnt);
		return EXIT_FAIL;
	}
	if (!cgfs_is_cgroup2(&t->fs)) {
		errmsg(0, "%s: %s: not a cgroup2 mount", verb, t->fs.mnt);
		cgfs_close(&t->fs);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* What "enable" does along a path, as a walk of cg_resolve() */
struct enabler {
	const struct cgfs *fs;
	bool create;		/* mkdir what is missing */
	bool reported;		/* the error is printed already */
};

/* @word among the space-separated words of @list */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	}
	return false;
}

/*
 * +ioasids in cgroup.subtree_control of the root and of each cgroup the
 * walk goes through, before it creates anything below: the target then
 * has the controller's files.
 */
static int enable_enter(int dirfd, const char *rel, void *arg)
{
	struct enabler *en = arg;
	char buf[4096], dir[PATH_MAX];
	int ret;

	if (!*rel) {
		ret = cg_readat(dirfd, "cgroup.controllers", buf, sizeof(buf));
		if (ret) {
			errmsg(ret, "%s/cgroup.controllers", en->fs->mnt);
			en->reported = true;
			return ret;
		}
		if (!has_word(buf, "ioasids")) {
			errmsg(0, "%s: the ioasids controller is not available (no CONFIG_CGROUP_IOASIDS, or it is bound to a v1 hierarchy)",
			       en->fs->mnt);
			en->reported = true;
			return -ENOENT;
		}
	}
	ret = cg_writeat(dirfd, "cgroup.subtree_control", "+ioasids");
	if (ret) {
		cg_path(en->fs, rel, dir, sizeof(dir));
		errmsg(ret, "%s/cgroup.subtree_control", dir);
		en->reported = true;
	}
	return ret;
}

/*
 * Resolve @path into @t for @verb, enabling the controller along it with
 * @en, saying why not. The error of a walk that creates names the cgroup
 * where it stopped, which may be deep in the path the user gave; one of a
 * path refused as text (@rel empty) names the path.
 */
static int resolve(const char *verb, struct target *t, const char *path, struct enabler *en)
{
	struct cg_walk walk = { .enter = enable_enter, .arg = en };
	int ret;

	if (en)
		walk.create = en->create;
	ret = cg_resolve(&t->fs, path, en ? &walk : NULL, t->rel, sizeof(t->rel));
	cg_path(&t->fs, t->rel, t->dir, sizeof(t->dir));
	if (ret >= 0) {
		t->fd = ret;
		return EXIT_OK;
	}
	if (en && en->reported)
		return EXIT_FAIL;	/* by enable_enter() */
	if (en && en->create && *t->rel && ret != -ENAMETOOLONG) {
		if (ret == -EXDEV)
			errmsg(0, "%s: not a cgroup under %s", t->dir, t->fs.mnt);
		else
			errmsg(ret, "%s", t->dir);
	} else if (ret == -EXDEV) {
		errmsg(0, "%s: %s: not a cgroup under %s", verb, path, t->fs.mnt);
	} else {
		errmsg(ret, "%s: %s", verb, path);
	}
	return EXIT_FAIL;
}

/* The cgroup @arg names, or with --unit the unit's; NULL is the root */
static int open_target(const struct gopts *g, const char *verb, const char *arg,
		       struct enabler *en, struct target *t)
{
	char cg[PATH_MAX], err[512];
	int ret;

	/* The unit first: whether it runs says more than the mount */
	if (g->unit) {
		ret = unit_cgroup(g->unit, cg, sizeof(cg), err, sizeof(err));
		if (ret) {
			errmsg(0, "%s: %s", g->unit, err);
			return EXIT_FAIL;
		}
	}
	if (open_mount(verb, t))
		return EXIT_FAIL;
	if (g->unit) {
		/* systemd's path is relative to the mount, written absolute */
		if ((size_t)snprintf(t->unit_path, sizeof(t->unit_path), "%s%s", t->fs.mnt, cg) >=
		    sizeof(t->unit_path)) {
			errmsg(-ENAMETOOLONG, "%s", g->unit);
			target_close(t);
			return EXIT_FAIL;
		}
		arg = t->unit_path;
	}
	if (en)
		en->fs = &t->fs;
	ret = resolve(verb, t, arg ? arg : "/", en);
	if (ret)
		cgfs_close(&t->fs);
	return ret;
}

struct walk {
	const struct cgfs *fs;
	json_t *arr;
	int err;
	unsigned int count;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The cgroup @fd at @rel, then its children with the controller, by name */
static void walk_tree(struct walk *w, int fd, const char *rel, int depth)
{
	char dir[PATH_MAX], child[PATH_MAX];
	const char *base = strrchr(rel, '/');
	struct cg_stats st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int ret, dfd, cfd;
	DIR *d;

	cg_path(w->fs, rel, dir, sizeof(dir));
	ret = read_stats(fd, !*rel, &st);
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
		stats_row(*rel ? (base ? base + 1 : rel) : "/", depth, &st);

	/* A descriptor of its own: closedir() closes it */
	dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d) {
		ret = -errno;
		if (dfd >= 0)
			close(dfd);
		errmsg(ret, "%s", dir);
		w->err = ret;
		return;
	}
	while ((de = readdir(d))) {
		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) || de->d_name[0] == '.')
			continue;
		char **grown = realloc(names, (n + 1) * sizeof(*names));

		if (grown) {
			names = grown;
			names[n] = strdup(de->d_name);
		}
		if (!grown || !names[n]) {
			errmsg(-ENOMEM, "%s", dir);
			w->err = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "",
				     names[i]) >= sizeof(child)) {
			errmsg(-ENAMETOOLONG, "%s/%s", dir, names[i]);
			w->err = -ENAMETOOLONG;
		} else {
			/* Gone since, or not a cgroup (a mount on one): not in the tree */
			cfd = cg_open_child(w->fs, fd, names[i]);
			if (cfd >= 0) {
				walk_tree(w, cfd, child, depth + 1);
				close(cfd);
			} else if (cfd != -ENOENT && cfd != -EXDEV) {
				errmsg(cfd, "%s/%s", dir, names[i]);
				w->err = cfd;
			}
		}
		free(names[i]);
	}
	free(names);
}

int cmd_tree(const struct gopts *g, int argc, char **argv)
{
	int nargs = g->unit ? 1 : 2;	/* with --unit, the CGROUP is given */
	struct walk w = { 0 };
	struct target t;

	if (argc > nargs)
		return usage_error("tree", "unexpected argument '%s'", argv[nargs]);
	if (open_target(g, "tree", argc > 1 && !g->unit ? argv[1] : NULL, NULL, &t))
		return EXIT_FAIL;
	w.fs = &t.fs;
	if (g->json)
		w.arr = json_array();
	else
		printf("%-40s %8s %8s %8s %8s %8s\n", "CGROUP", "CURRENT", "MAX",
		       "PEAK", "EVENTS", "LOCAL");
	walk_tree(&w, t.fd, t.rel, 0);
	target_close(&t);
	if (!w.count && !w.err) {
		errmsg(0, "tree: %s: the ioasids controller is not enabled here", t.dir);
		json_decref(w.arr);
		return EXIT_FAIL;
	}
	if (g->json && json_print(w.arr))
		return EXIT_FAIL;
	return w.err ? EXIT_FAIL : EXIT_OK;
}

int cmd_get(const struct gopts *g, int argc, char **argv)
{
	int nargs = g->unit ? 1 : 2;
	struct cg_stats st;
	struct target t;
	int ret;

	if (argc != nargs)
		return usage_error("get", argc < nargs ? "missing CGROUP" : "unexpected argument '%s'",
				   argv[argc - 1]);
	if (open_target(g, "get", g->unit ? NULL : argv[1], NULL, &t))
		return EXIT_FAIL;
	ret = read_stats(t.fd, !*t.rel, &st);
	target_close(&t);
	if (ret) {
		errmsg(ret, "get: %s/ioasids.*", t.dir);
		return EXIT_FAIL;
	}
	if (g->json) {
		if (json_print(stats_json(t.rel, &st)))
			return EXIT_FAIL;
	} else if (st.root) {
		printf("current %llu\ncapacity %llu\n", st.current, st.capacity);
	} else {
		printf("max %s\ncurrent %llu\npeak %llu\nevents %llu\nevents.local %llu\n",
		       st.max, st.current, st.peak, st.events, st.events_local);
	}
	return EXIT_OK;
}

int cmd_set(const struct gopts *g, int argc, char **argv)
{
	int nargs = g->unit ? 2 : 3;	/* with --unit: set LIMIT */
	struct enabler en = { 0 };
	char rel[PATH_MAX];
	struct target t;
	const char *val;
	long long limit;
	int ret;

	if (argc != nargs)
		return usage_error("set", "expected CGROUP LIMIT");
	val = argv[nargs - 1];
	if (parse_limit(val, &limit))
		return usage_error("set", "bad limit '%s': 'max' or 0..1048576", val);
	if (open_target(g, "set", g->unit ? NULL : argv[1], NULL, &t))
		return EXIT_FAIL;
	if (!*t.rel) {
		errmsg(0, "set: %s: the root cgroup has no limit", t.dir);
		target_close(&t);
		return EXIT_FAIL;
	}
	/*
	 * A systemd that does not know the controller leaves it alone, and
	 * does not enable it for the unit: walk the path again, enabling
	 */
	if (g->unit) {
		snprintf(rel, sizeof(rel), "%s", t.rel);
		close(t.fd);
		t.fd = -1;
		en.fs = &t.fs;
		if (resolve("set", &t, rel, &en)) {
			target_close(&t);
			return EXIT_FAIL;
		}
	}
	ret = cg_writeat(t.fd, "ioasids.max", val);
	target_close(&t);
	if (ret) {
		errmsg(ret, "set: %s/ioasids.max", t.dir);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_enable(const struct gopts *g, int argc, char **argv)
{
	struct enabler en = { .create = true };
	int nargs = g->unit ? 1 : 2;
	struct target t;

	if (argc != nargs)
		return usage_error("enable", "expected CGROUP");
	if (open_target(g, "enable", g->unit ? NULL : argv[1], &en, &t))
		return EXIT_FAIL;
	target_close(&t);
	return EXIT_OK;
}

int cmd_run(const struct gopts *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "max",    required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct enabler en = { .create = true };
	const char *cg = NULL, *max = NULL;
	char name[32] = "", pid[32];
	bool created = false;
	struct target t;
	struct stat st;
	long long limit;
	int c, ret, status;
	pid_t child;

	(void)g;
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
	if (open_mount("run", &t))
		return EXIT_FAIL;
	if (!cg) {
		snprintf(name, sizeof(name), "ioasidctl-run.%d", (int)getpid());
		/* Only the cgroup run names itself is removed afterwards */
		created = fstatat(t.fs.fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0;
	}
	/* --cgroup takes what the other verbs take, through the same resolver */
	en.fs = &t.fs;
	if (resolve("run", &t, cg ? cg : name, &en))
		goto out_rmdir;
	if (max) {
		ret = cg_writeat(t.fd, "ioasids.max", max);
		if (ret) {
			errmsg(ret, "run: %s/ioasids.max", t.dir);
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
		ret = cg_writeat(t.fd, "cgroup.procs", pid);
		if (ret) {
			errmsg(ret, "run: %s/cgroup.procs", t.dir);
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
		unlinkat(t.fs.fd, name, AT_REMOVEDIR);
	target_close(&t);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);

out_rmdir:
	if (created)
		unlinkat(t.fs.fd, name, AT_REMOVEDIR);
	target_close(&t);
	return EXIT_FAIL;
}

int cmd_watch(const struct gopts *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long count = 0, seen = 0, prev, now, i;
	char path[PATH_MAX + 32], buf[64];
	int nargs = g->unit ? 0 : 1;
	struct pollfd pfd;
	struct target t;
	ssize_t n;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c != 'n' || parse_uint(optarg, ~0ULL, &count))
			return usage_error("watch", "bad --count");
	}
	if (argc - optind != nargs)
		return usage_error("watch", "expected CGROUP");
	if (open_target(g, "watch", nargs ? argv[optind] : NULL, NULL, &t))
		return EXIT_FAIL;
	if (!*t.rel) {
		errmsg(0, "watch: %s: the root cgroup has no limit to watch", t.dir);
		target_close(&t);
		return EXIT_FAIL;
	}
	snprintf(path, sizeof(path), "%s/ioasids.events", t.dir);
	pfd.fd = openat(t.fd, "ioasids.events", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	target_close(&t);
	if (pfd.fd < 0) {
		errmsg(-errno, "watch: %s", path);
		return EXIT_FAIL;
	}
	pfd.events = POLLPRI;
	n = pread(pfd.fd, buf, sizeof(buf) - 1, 0);
	if (n >= 0)
		buf[n] = '\0';
	if (n < 0 || parse_events(strtok(buf, "\n"), &prev)) {
		errmsg(-EIO, "watch: %s", path);
		close(pfd.fd);
		return EXIT_FAIL;
	}
	if (!g->json)
		printf("watching %s (refusals so far: %llu)\n", t.dir, prev);
	fflush(stdout);
	while (!count || seen < count) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			errmsg(-errno, "watch: poll %s", path);
			close(pfd.fd);
			return EXIT_FAIL;
		}
		n = pread(pfd.fd, buf, sizeof(buf) - 1, 0);
		if (n < 0) {
			errmsg(-errno, "watch: %s", path);
			close(pfd.fd);
			return EXIT_FAIL;
		}
		buf[n] = '\0';
		if (parse_events(strtok(buf, "\n"), &now))
			continue;
		/* One line per refusal, however many a wakeup covers */
		for (i = prev; i < now && (!count || seen < count); i++, seen++) {
			time_t tm = time(NULL);
			char ts[32];

			strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", localtime(&tm));
			if (g->json) {
				json_t *o = json_object();

				json_object_set_new(o, "time", json_string(ts));
				json_object_set_new(o, "cgroup", json_string(t.rel));
				json_object_set_new(o, "events", json_integer((json_int_t)i + 1));
				json_print(o);
			} else {
				printf("%s %s refused (events %llu)\n", ts, t.rel, i + 1);
			}
		}
		fflush(stdout);
		prev = now;
	}
	close(pfd.fd);
	return EXIT_OK;
}
