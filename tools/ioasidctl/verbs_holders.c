// SPDX-License-Identifier: GPL-2.0
/*
 * ioasidctl verbs that say who holds the IDs: ps (the processes, from
 * /proc) and top (the cgroups, refreshing).
 *
 * top draws with ncurses rather than with escape sequences of its own:
 * terminfo knows the terminal, SIGWINCH becomes a KEY_RESIZE with the new
 * size in LINES and COLS, and endwin() gives the terminal back as it was,
 * which is most of what a full-screen tool gets wrong by hand.
 */
#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroupfs.h"
#include "holders.h"
#include "output.h"
#include "parse.h"
#include "verbs.h"

/*
 * The cgroup2 mount and @path's cgroup under it (NULL: the root), as
 * every verb resolves them; the canonical name into @rel ("/" for the
 * root). The error is printed.
 */
static int open_cgroup(const char *verb, const char *path, struct cgfs *fs, int *fd,
		       char *rel, size_t len)
{
	char mnt[PATH_MAX];
	int ret;

	*fd = -1;
	ret = cg_mount(mnt, sizeof(mnt));
	if (ret) {
		errmsg(ret, "%s: cannot find the cgroup2 mount", verb);
		return EXIT_FAIL;
	}
	ret = cgfs_open(fs, mnt);
	if (ret) {
		errmsg(ret, "%s: %s", verb, mnt);
		return EXIT_FAIL;
	}
	if (!cgfs_is_cgroup2(fs)) {
		errmsg(0, "%s: %s: not a cgroup2 mount", verb, fs->mnt);
		cgfs_close(fs);
		return EXIT_FAIL;
	}
	ret = cg_resolve(fs, path ? path : "/", NULL, rel, len);
	if (ret < 0) {
		if (ret == -EXDEV)
			errmsg(0, "%s: %s: not a cgroup under %s", verb, path, fs->mnt);
		else
			errmsg(ret, "%s: %s", verb, path);
		cgfs_close(fs);
		return EXIT_FAIL;
	}
	*fd = ret;
	if (!*rel)
		snprintf(rel, len, "/");
	return EXIT_OK;
}

/*
 * A field of ps's table: bytes that would split or break the line
 * (space, control characters, backslash, and in CHARGED's list the comma)
 * as \ooo, the way /proc/self/mountinfo writes them
 */
static int put_field(const char *s, bool comma)
{
	int n = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == '\\' || c == 0x7f || (comma && c == ',')) {
			printf("\\%03o", c);
			n += 4;
		} else {
			putchar(c);
			n++;
		}
	}
	return n;
}

/* The cgroups a holder's IDs are charged to, with how many each */
struct charge {
	const char *cgroup;	/* NULL: not charged */
	size_t count;
};

static int charge_cmp(const void *a, const void *b)
{
	const struct charge *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (!x->cgroup || !y->cgroup)
		return !x->cgroup - !y->cgroup;
	return strcmp(x->cgroup, y->cgroup);
}

/* Into @out (room for p->nids), most IDs first; returns how many */
static size_t charges(const struct holder *p, struct charge *out)
{
	size_t n = 0, i, k;

	for (i = 0; i < p->nids; i++) {
		const char *cg = p->ids[i].cgroup;

		for (k = 0; k < n; k++) {
			if (cg == out[k].cgroup || (cg && out[k].cgroup && !strcmp(cg, out[k].cgroup)))
				break;
		}
		if (k == n)
			out[n++] = (struct charge){ cg, 0 };
		out[k].count++;
	}
	qsort(out, n, sizeof(*out), charge_cmp);
	return n;
}

static json_t *holder_json(const struct holder *p, const struct charge *ch, size_t nch)
{
	json_t *o = json_object(), *arr = json_array(), *ids = json_array();
	size_t i;

	json_object_set_new(o, "pid", json_integer(p->pid));
	json_object_set_new(o, "comm", json_bytes(p->comm));
	json_object_set_new(o, "cgroup", p->cgroup ? json_bytes(p->cgroup) : json_null());
	json_object_set_new(o, "count", json_integer((json_int_t)p->nids));
	json_object_set_new(o, "file", json_integer(p->nr[KIND_FILE]));
	json_object_set_new(o, "guest", json_integer(p->nr[KIND_GUEST]));
	json_object_set_new(o, "shared", json_integer((json_int_t)p->shared));
	for (i = 0; i < nch; i++) {
		json_t *c = json_object();

		json_object_set_new(c, "cgroup",
				    ch[i].cgroup ? json_bytes(ch[i].cgroup) : json_null());
		json_object_set_new(c, "count", json_integer((json_int_t)ch[i].count));
		json_array_append_new(arr, c);
	}
	json_object_set_new(o, "charged", arr);
	for (i = 0; i < p->nids; i++)
		json_array_append_new(ids, json_integer(p->ids[i].id));
	json_object_set_new(o, "ids", ids);
	return o;
}

static void holder_row(const struct holder *p, const struct charge *ch, size_t nch)
{
	size_t i;

	int w;

	printf("%7d ", (int)p->pid);
	w = put_field(p->comm, false);
	printf("%*s %5zu %5u %5u %6zu ", w < 15 ? 15 - w : 0, "", p->nids, p->nr[KIND_FILE],
	       p->nr[KIND_GUEST], p->shared);
	put_field(p->cgroup ? p->cgroup : "?", false);
	putchar(' ');
	for (i = 0; i < nch; i++) {
		if (i)
			putchar(',');
		put_field(ch[i].cgroup ? ch[i].cgroup : "-", true);
	}
	putchar('\n');
}

int cmd_ps(const struct gopts *g, int argc, char **argv)
{
	const char *proc = proc_root();
	char rel[PATH_MAX] = "/";
	struct holders h;
	json_t *arr = NULL;
	struct cgfs fs;
	int fd, ret, status = EXIT_OK;

	if (argc > 2)
		return usage_error("ps", "unexpected argument '%s'", argv[2]);
	if (argc == 2 && argv[1][0] == '-' && argv[1][1])
		return usage_error("ps", "unknown option '%s'", argv[1]);
	/* CGROUP is checked as every verb checks one: it must exist */
	if (argc == 2) {
		if (open_cgroup("ps", argv[1], &fs, &fd, rel, sizeof(rel)))
			return EXIT_FAIL;
		close(fd);
		cgfs_close(&fs);
	}
	ret = holders_scan(proc, rel, &h);
	if (ret) {
		errmsg(ret, "ps: %s", proc);
		return EXIT_FAIL;
	}
	if (g->json)
		arr = json_array();
	else
		printf("%7s %-15s %5s %5s %5s %6s %s %s\n", "PID", "COMM", "COUNT", "FILE",
		       "GUEST", "SHARED", "CGROUP", "CHARGED");
	for (size_t i = 0; i < h.n; i++) {
		const struct holder *p = &h.procs[i];
		struct charge *ch = calloc(p->nids, sizeof(*ch));
		size_t nch;

		if (!ch) {
			errmsg(-ENOMEM, "ps");
			status = EXIT_FAIL;
			break;
		}
		nch = charges(p, ch);
		if (arr)
			json_array_append_new(arr, holder_json(p, ch, nch));
		else
			holder_row(p, ch, nch);
		free(ch);
	}
	if (arr && json_print(arr))
		status = EXIT_FAIL;
	if (h.err.count) {
		if (h.err.line)
			errmsg(h.err.err, "ps: %s/%s: line %u%s", proc, h.err.where, h.err.line,
			       h.err.count > 1 ? " (and more files)" : "");
		else
			errmsg(h.err.err, "ps: %s/%s%s", proc, h.err.where,
			       h.err.count > 1 ? " (and more files)" : "");
		status = EXIT_FAIL;
	}
	holders_free(&h);
	return status;
}

/* top */

struct top_state {
	struct cgfs fs;
	int fd;				/* the top cgroup */
	char rel[PATH_MAX];		/* its name, "/" for the root */
	struct top_node *nodes;		/* the last refresh, in top_order() */
	size_t n, cap;
	struct timespec when;		/* of the last refresh */
	unsigned int delay_ms;
	int err;			/* the last refresh's, reported on exit */
	char errwhere[PATH_MAX];
};

static int read_ull(int fd, const char *file, unsigned long long *v)
{
	char buf[64];
	int ret = cg_readat(fd, file, buf, sizeof(buf));

	if (ret)
		return ret;
	return parse_uint(buf, ~0ULL, v) ? -EIO : 0;
}

/* A whole file of cgroupfs, however long, into *@out (malloc'd, no trailing newline) */
static int read_whole(int dirfd, const char *file, char **out)
{
	size_t cap = 512, n = 0;
	char *buf = malloc(cap), *g;
	ssize_t r;
	int fd;

	if (!buf)
		return -ENOMEM;
	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		if (cap - n < 2) {
			g = realloc(buf, 2 * cap);
			if (!g) {
				r = -ENOMEM;
				break;
			}
			buf = g;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			r = -errno;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return (int)r;
	}
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	*out = buf;
	return 0;
}

/*
 * One cgroup's files into @nd; -ENOENT if the controller is not there.
 * The root cgroup is told by its files, not its name: it has
 * ioasids.capacity and no ioasids.max. In a cgroup namespace the mount's
 * "/" is some cgroup below the root, with a max like any other.
 */
static int read_node(int fd, struct top_node *nd)
{
	char buf[256], *stat = NULL;
	int ret;

	ret = read_ull(fd, "ioasids.current", &nd->current);
	if (ret)
		return ret;
	ret = cg_readat(fd, "ioasids.max", nd->max, sizeof(nd->max));
	if (ret == -ENOENT) {
		ret = read_ull(fd, "ioasids.capacity", &nd->capacity);
		if (ret)
			return ret;
		nd->root = true;
	} else if (ret) {
		return ret;
	}
	if (!nd->root)
		ret = read_ull(fd, "ioasids.peak", &nd->peak);
	if (!ret && !nd->root) {
		ret = cg_readat(fd, "ioasids.events", buf, sizeof(buf));
		if (!ret && parse_events(strtok(buf, "\n"), &nd->events))
			ret = -EIO;
	}
	if (ret)
		return ret;
	/* A kernel without ioasids.stat: the kinds are shown as unknown */
	nd->have_stat = false;
	if (!read_whole(fd, "ioasids.stat", &stat)) {
		nd->have_stat = !parse_ioasids_stat(stat, nd->nr);
		free(stat);
	}
	return 0;
}

static int add_node(struct top_state *s, struct top_node **out)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 32;
		struct top_node *g = realloc(s->nodes, ncap * sizeof(*g));

		if (!g)
			return -ENOMEM;
		s->nodes = g;
		s->cap = ncap;
	}
	*out = &s->nodes[s->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* The cgroup @fd at @rel and those below it with the controller */
static int walk(struct top_state *s, int fd, const char *rel, long parent)
{
	struct top_node *nd;
	struct dirent *de;
	long me;
	int ret, dfd, cfd;
	DIR *d;

	ret = add_node(s, &nd);
	if (ret)
		return ret;
	me = (long)s->n - 1;
	nd->parent = parent;
	nd->rel = strdup(rel);
	if (!nd->rel)
		return -ENOMEM;
	ret = read_node(fd, nd);
	if (ret) {
		/*
		 * No controller here, nor below; gone since readdir() (a
		 * removed cgroup's open files read as ENODEV)
		 */
		free(nd->rel);
		s->n--;
		if (ret == -ENOENT || ret == -ENODEV)
			return 0;
		snprintf(s->errwhere, sizeof(s->errwhere), "%s", rel);
		return ret;
	}
	dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return 0;	/* the directory went away under us */
	}
	while (!ret && (de = readdir(d))) {
		char child[PATH_MAX];

		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) || de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(child, sizeof(child), "%s%s%s", strcmp(rel, "/") ? rel : "",
				     strcmp(rel, "/") ? "/" : "", de->d_name) >= sizeof(child))
			continue;
		cfd = cg_open_child(&s->fs, dirfd(d), de->d_name);
		if (cfd < 0)
			continue;	/* gone, or not a cgroup */
		ret = walk(s, cfd, child, me);
		close(cfd);
	}
	closedir(d);
	return ret;
}

/* A new refresh: read the tree, order it, the rates against the last */
static int top_refresh(struct top_state *s)
{
	struct top_node *prev = s->nodes;
	size_t pn = s->n;
	struct timespec now;
	double dt;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &now);
	s->nodes = NULL;
	s->n = s->cap = 0;
	ret = walk(s, s->fd, s->rel, -1);
	if (!ret && !s->n)
		ret = -ENOENT;	/* no controller at the top cgroup */
	if (!ret)
		ret = top_order(s->nodes, s->n);
	if (ret) {
		top_nodes_free(s->nodes, s->n);
		s->nodes = prev;
		s->n = s->cap = pn;
		s->err = ret;
		return ret;
	}
	s->err = 0;
	s->errwhere[0] = '\0';
	dt = (double)(now.tv_sec - s->when.tv_sec) + (double)(now.tv_nsec - s->when.tv_nsec) / 1e9;
	top_rates(s->nodes, s->n, prev, pn, prev ? dt : 0);
	top_nodes_free(prev, pn);
	s->when = now;
	return 0;
}

/* The line above the table: the top cgroup's use, by kind */
static void summary(const struct top_state *s, char *buf, size_t len)
{
	const struct top_node *t = &s->nodes[0];
	char name[PATH_MAX];
	int n;

	name_escape(t->rel, name, sizeof(name));
	if (t->root)
		n = snprintf(buf, len, "ioasids: %llu of %llu in use", t->current, t->capacity);
	else
		n = snprintf(buf, len, "%s: %llu in use, limit %s", name, t->current, t->max);
	if (t->have_stat && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (sva %llu, file %llu, guest %llu, driver %llu)",
			 t->nr[KIND_SVA], t->nr[KIND_FILE], t->nr[KIND_GUEST],
			 t->nr[KIND_DRIVER]);
}

static void print_batch(const struct top_state *s)
{
	char line[PATH_MAX + 256];

	summary(s, line, sizeof(line));
	puts(line);
	top_header(line, sizeof(line), 0);
	puts(line);
	for (size_t i = 0; i < s->n; i++) {
		top_row(&s->nodes[i], line, sizeof(line), 0);
		puts(line);
	}
	putchar('\n');
	fflush(stdout);
}

static void draw(const struct top_state *s)
{
	char line[PATH_MAX + 256];
	int width = COLS, y;

	erase();
	summary(s, line, sizeof(line));
	mvaddnstr(0, 0, line, width);
	snprintf(line, sizeof(line), "every %u.%us, q quits", s->delay_ms / 1000,
		 s->delay_ms % 1000 / 100);
	if (width > (int)strlen(line))
		mvaddstr(1, width - (int)strlen(line), line);
	top_header(line, sizeof(line), width);
	attron(A_REVERSE);
	mvaddnstr(2, 0, line, width);
	attroff(A_REVERSE);
	for (y = 3; y < LINES && (size_t)(y - 3) < s->n; y++) {
		top_row(&s->nodes[y - 3], line, sizeof(line), width);
		mvaddnstr(y, 0, line, width);
	}
	/* A refresh that failed: the last table stays, the error in its place */
	if (s->err) {
		char where[PATH_MAX];

		name_escape(s->errwhere[0] ? s->errwhere : s->rel, where, sizeof(where));
		snprintf(line, sizeof(line), "refresh failed: %s: %s", where, strerror(-s->err));
		mvaddnstr(1, 0, line, width);
	}
	refresh();
}

static volatile sig_atomic_t top_stop;

static void on_stop(int sig)
{
	(void)sig;
	top_stop = 1;
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/*
 * Until @iters refreshes (0: no end), q, or SIGINT/SIGTERM/SIGHUP; a
 * refresh that fails is shown and tried again at the next. -ENOTTY when
 * ncurses does not know the terminal (initscr() would exit).
 */
static int run_screen(struct top_state *s, unsigned long long iters)
{
	unsigned long long done = 1;
	SCREEN *scr;
	long left;
	int ch;

	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return -ENOTTY;
	set_term(scr);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	draw(s);
	while (!top_stop && (!iters || done < iters)) {
		left = (long)s->delay_ms - ms_since(&s->when);
		timeout(left > 0 ? (int)left : 0);
		ch = getch();
		if (ch == 'q' || ch == 'Q')
			break;
		if (ch == KEY_RESIZE) {
			draw(s);	/* at the new size, with the same numbers */
			continue;
		}
		if (ms_since(&s->when) < (long)s->delay_ms && ch != ' ')
			continue;
		if (top_refresh(s))
			clock_gettime(CLOCK_MONOTONIC, &s->when);	/* next try a delay on */
		done++;
		draw(s);
	}
	endwin();
	delscreen(scr);
	return 0;
}

int cmd_top(const struct gopts *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "delay",      required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "batch",      no_argument,       NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct top_state s = { .fd = -1, .delay_ms = 1000 };
	struct sigaction sa = { .sa_handler = on_stop };
	unsigned long long iters = 0, done;
	bool batch = false;
	int c, ret;

	(void)g;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:n:b", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_seconds(optarg, &s.delay_ms))
				return usage_error("top", "bad delay '%s': seconds, 0.1 to 3600",
						   optarg);
			break;
		case 'n':
			if (parse_uint(optarg, ~0ULL, &iters) || !iters)
				return usage_error("top", "bad iteration count '%s'", optarg);
			break;
		case 'b':
			batch = true;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return usage_error("top", "unexpected argument '%s'", argv[optind + 1]);
	if (open_cgroup("top", optind < argc ? argv[optind] : NULL, &s.fs, &s.fd, s.rel,
			sizeof(s.rel)))
		return EXIT_FAIL;
	/* No terminal to draw on, or none to read q from: plain lines */
	batch |= !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO);

	/* Before initscr(): ncurses then leaves them to us, and we end cleanly */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	ret = top_refresh(&s);
	if (ret == -ENOENT && !s.errwhere[0]) {
		errmsg(0, "top: %s: the ioasids controller is not enabled here", s.rel);
		close(s.fd);
		cgfs_close(&s.fs);
		return EXIT_FAIL;
	}
	if (!ret && !batch) {
		/* LC_CTYPE only: the numbers keep their '.' */
		setlocale(LC_CTYPE, "");
		if (run_screen(&s, iters)) {
			const char *term = getenv("TERM");

			errmsg(0, "top: unknown terminal type '%s': plain lines instead",
			       term ? term : "");
			batch = true;
		} else {
			ret = s.err;
		}
	}
	if (!ret && batch) {
		print_batch(&s);
		for (done = 1; !top_stop && (!iters || done < iters); done++) {
			struct timespec ts = { s.delay_ms / 1000, s.delay_ms % 1000 * 1000000L };

			if (nanosleep(&ts, NULL) && top_stop)
				break;
			ret = top_refresh(&s);
			if (ret)
				break;
			print_batch(&s);
		}
	}
	if (ret)
		errmsg(ret, "top: %s", s.errwhere[0] ? s.errwhere : s.rel);
	top_nodes_free(s.nodes, s.n);
	close(s.fd);
	cgfs_close(&s.fs);
	return ret ? EXIT_FAIL : EXIT_OK;
}
