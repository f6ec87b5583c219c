// SPDX-License-Identifier: GPL-2.0
/*
 * Who holds the IDs: ioasids.stat, the fdinfo of /dev/ioasid files, and a
 * scan of /proc that puts them together per process.
 *
 * The kernel shows which IDs an open /dev/ioasid file holds in its fdinfo
 * and which cgroup each is charged to; the links in /proc/PID/fd say which
 * processes have such a file open. Every open of /dev/ioasid has the same
 * inode, so files are told apart by their IDs, which are unique system-wide:
 * two descriptors showing the same ID reach the same file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroupfs.h"
#include "holders.h"
#include "parse.h"
#include "util.h"

#define DEV_IOASID	"/dev/ioasid"
/* O_PATH as fdinfo's flags: field shows it, octal, whatever the libc's value */
#define FDINFO_O_PATH	010000000ULL

/* An octal number, the whole string */
static int parse_uint_base(const char *s, int base, unsigned long long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno || *end ? -EINVAL : 0;
}

const char *const ioasid_kind_names[NR_KINDS] = { "sva", "file", "guest", "driver" };

int parse_ioasids_stat(const char *buf, unsigned long long nr[NR_KINDS])
{
	unsigned long long v[NR_KINDS];
	unsigned int seen = 0;
	const char *p = buf;
	char line[128];

	if (!buf)
		return -EINVAL;
	while (*p) {
		size_t n = strcspn(p, "\n"), k;
		char *sp;

		if (n >= sizeof(line))
			return -EINVAL;
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (p[n] == '\n');
		sp = strchr(line, ' ');
		if (!sp || sp == line)
			return -EINVAL;
		*sp = '\0';
		for (k = 0; k < NR_KINDS; k++) {
			if (strcmp(line, ioasid_kind_names[k]))
				continue;
			if (seen & (1U << k) || parse_uint(sp + 1, ~0ULL, &v[k]))
				return -EINVAL;
			seen |= 1U << k;
			break;
		}
		/* An unknown key: a later kernel's, with a number all the same */
		if (k == NR_KINDS && parse_uint(sp + 1, ~0ULL, &(unsigned long long){ 0 }))
			return -EINVAL;
	}
	if (seen != (1U << NR_KINDS) - 1)
		return -EINVAL;
	memcpy(nr, v, sizeof(v));
	return 0;
}

int cg_name_from_kernel(const char *kpath, char *buf, size_t len)
{
	size_t n;

	if (!kpath || kpath[0] != '/')
		return -EINVAL;
	kpath += strspn(kpath, "/");
	if (!*kpath)
		kpath = "/";
	n = strlen(kpath);
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(buf, kpath, n + 1);
	return 0;
}

bool cg_in_subtree(const char *cg, const char *top)
{
	size_t n = strlen(top);

	if (!strcmp(top, "/"))
		return true;
	return !strncmp(cg, top, n) && (cg[n] == '\0' || cg[n] == '/');
}

/* "ioasid:\tID spid:S cgroup:PATH", PATH to the end of the line */
static int parse_id_line(char *s, struct held_id *h)
{
	unsigned long long v;
	char *sp;

	/* The ID, up to the space */
	sp = strchr(s, ' ');
	if (!sp)
		return -EINVAL;
	*sp = '\0';
	if (parse_uint(s, 0xffffffffULL, &v) || !v)
		return -EINVAL;
	h->id = (unsigned int)v;
	s = sp + 1;
	if (strncmp(s, "spid:", 5))
		return -EINVAL;
	s += 5;
	sp = strchr(s, ' ');
	if (!sp)
		return -EINVAL;
	*sp = '\0';
	if (!strcmp(s, "-")) {
		h->guest = false;
		h->spid = 0;
	} else if (!parse_uint(s, 0xffffffffULL, &v)) {
		h->guest = true;
		h->spid = (unsigned int)v;
	} else {
		return -EINVAL;
	}
	s = sp + 1;
	if (strncmp(s, "cgroup:", 7))
		return -EINVAL;
	s += 7;
	h->cgroup = NULL;
	if (!strcmp(s, "-"))
		return 0;
	/* A path may hold spaces, not newlines: the kernel refuses those */
	if (s[0] != '/')
		return -EINVAL;
	v = strlen(s) + 2;
	h->cgroup = malloc(v);
	if (!h->cgroup)
		return -ENOMEM;
	return cg_name_from_kernel(s, h->cgroup, v);
}

void ioasid_fdinfo_free(struct ioasid_fdinfo *fi)
{
	for (size_t i = 0; i < fi->nids; i++)
		free(fi->ids[i].cgroup);
	free(fi->ids);
	fi->ids = NULL;
	fi->nids = 0;
}

int parse_ioasid_fdinfo(FILE *f, struct ioasid_fdinfo *fi, unsigned int *line)
{
	bool have_count = false, have_quota = false, opath = false;
	size_t cap = 0, lcap = 0;
	int rerr = 0;
	unsigned int lineno = 0;
	char *buf = NULL;
	ssize_t n;
	int ret = 0;

	memset(fi, 0, sizeof(*fi));
	*line = 0;
	errno = 0;
	while ((n = getline(&buf, &lcap, f)) > 0) {
		lineno++;
		if (buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (!strncmp(buf, "flags:\t", 7)) {
			unsigned long long fl;

			/* An O_PATH file has no show_fdinfo: no IDs, whatever it is */
			if (!parse_uint_base(buf + 7, 8, &fl) && (fl & FDINFO_O_PATH))
				opath = true;
		} else if (!strncmp(buf, "ioasid-count:\t", 14)) {
			if (have_count || parse_uint(buf + 14, ~0ULL, &fi->count))
				ret = -EINVAL;
			have_count = true;
		} else if (!strncmp(buf, "ioasid-quota:\t", 14)) {
			if (have_quota || parse_uint(buf + 14, ~0ULL, &fi->quota))
				ret = -EINVAL;
			have_quota = true;
		} else if (!strncmp(buf, "ioasid:\t", 8)) {
			struct held_id h = { 0 };

			if (fi->nids == cap) {
				size_t ncap = cap ? 2 * cap : 16;
				struct held_id *g = realloc(fi->ids, ncap * sizeof(*g));

				if (!g) {
					ret = -ENOMEM;
					break;
				}
				fi->ids = g;
				cap = ncap;
			}
			ret = parse_id_line(buf + 8, &h);
			if (ret) {
				free(h.cgroup);
				if (ret == -ENOMEM)
					break;
			} else if (fi->nids && h.id <= fi->ids[fi->nids - 1].id) {
				/* Ascending, each once: anything else is not this format */
				free(h.cgroup);
				ret = -EINVAL;
			} else {
				fi->ids[fi->nids++] = h;
			}
		}
		/* pos:, flags:, mnt_id:, ino: and what a later kernel adds */
		if (ret)
			break;
		errno = 0;
	}
	/* A read that failed: the file closed (ENOENT), the process gone (ESRCH) */
	if (n < 0 && ferror(f))
		rerr = errno ? -errno : -EIO;
	free(buf);
	if (!ret && rerr)
		ret = rerr;
	if (!ret && (opath || !have_count))
		ret = -ENODATA;
	if (ret) {
		if (ret == -EINVAL)
			*line = lineno;
		ioasid_fdinfo_free(fi);
	}
	return ret;
}

int parse_proc_cgroup(FILE *f, char *buf, size_t len)
{
	size_t cap = 0;
	char *line = NULL;
	ssize_t n;
	int ret = -ENOENT;

	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (strncmp(line, "0::", 3))
			continue;
		ret = cg_name_from_kernel(line + 3, buf, len);
		break;
	}
	free(line);
	return ret;
}

const char *proc_root(void)
{
	const char *env = getenv("IOASIDCTL_PROC_ROOT");

	return env && *env ? env : "/proc";
}

/* Errors that mean the process went away or is not ours to read */
static bool skippable(int err)
{
	return err == -ENOENT || err == -ESRCH || err == -EACCES || err == -EPERM;
}

/* The fdinfo of @pid's descriptor @fd was not what it should be */
static void note_err(struct holders *h, int err, unsigned int line, int pid, const char *fd)
{
	if (!h->err.count++) {
		h->err.err = err;
		h->err.line = line;
		snprintf(h->err.where, sizeof(h->err.where), "%d/fdinfo/%.255s", pid, fd);
	}
}

/* Add the IDs of @fi that @filter takes to @p (unsorted, maybe repeated) */
static int take_ids(struct holder *p, size_t *cap, struct ioasid_fdinfo *fi,
		    const char *filter)
{
	for (size_t i = 0; i < fi->nids; i++) {
		struct held_id *id = &fi->ids[i];

		if (filter && (!id->cgroup || !cg_in_subtree(id->cgroup, filter)))
			continue;
		if (p->nids == *cap) {
			size_t ncap = *cap ? 2 * *cap : 16;
			struct held_id *g = realloc(p->ids, ncap * sizeof(*g));

			if (!g)
				return -ENOMEM;
			p->ids = g;
			*cap = ncap;
		}
		/* Moved: the holder owns the path now */
		p->ids[p->nids++] = *id;
		id->cgroup = NULL;
	}
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	const struct held_id *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Sort @p's IDs and drop those seen through a second descriptor */
static void dedup_ids(struct holder *p)
{
	size_t w = 0;

	if (p->nids)
		qsort(p->ids, p->nids, sizeof(*p->ids), id_cmp);
	for (size_t r = 0; r < p->nids; r++) {
		if (w && p->ids[w - 1].id == p->ids[r].id) {
			free(p->ids[r].cgroup);
			continue;
		}
		p->ids[w++] = p->ids[r];
	}
	p->nids = w;
	memset(p->nr, 0, sizeof(p->nr));
	for (size_t i = 0; i < p->nids; i++)
		p->nr[p->ids[i].guest ? KIND_GUEST : KIND_FILE]++;
}

static void holder_free(struct holder *p)
{
	for (size_t i = 0; i < p->nids; i++)
		free(p->ids[i].cgroup);
	free(p->ids);
	free(p->cgroup);
}

/*
 * The /dev/ioasid files of process @pid (its directory @pdir) into @p.
 * 0 with @p->nids == 0 when it holds none or went away.
 */
static int scan_process(struct holders *h, int pdir, int pid, const char *filter,
			struct holder *p)
{
	char link[sizeof(DEV_IOASID) + 1], name[64], cg[PATH_MAX];
	struct ioasid_fdinfo fi;
	unsigned int line;
	struct dirent *de;
	size_t cap = 0;
	int dfd, ifd, fd, ret = 0;
	bool any = false;
	ssize_t n;
	FILE *f;
	DIR *d;

	dfd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return skippable(-errno) ? 0 : -errno;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	ifd = openat(pdir, "fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ifd < 0) {
		ret = skippable(-errno) ? 0 : -errno;
		closedir(d);
		return ret;
	}
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		/* Longer than "/dev/ioasid" is not it: no need to read it whole */
		n = readlinkat(dfd, de->d_name, link, sizeof(link));
		if (n != (ssize_t)strlen(DEV_IOASID) || memcmp(link, DEV_IOASID, (size_t)n))
			continue;
		any = true;
		fd = openat(ifd, de->d_name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;	/* closed since, or the process is gone */
		f = fdopen(fd, "r");
		if (!f) {
			ret = -errno;
			close(fd);
			break;
		}
		ret = parse_ioasid_fdinfo(f, &fi, &line);
		fclose(f);
		if (ret == -ENOMEM)
			break;
		/*
		 * Closed, or the process gone, since the link was read; no IDs
		 * shown: an O_PATH descriptor, or the number reused by another
		 * file since. Neither is a problem of the file's.
		 */
		if (ret == -ENODATA || skippable(ret)) {
			ret = 0;
			continue;
		}
		if (ret) {
			note_err(h, ret, line, pid, de->d_name);
			ret = 0;
			continue;
		}
		ret = take_ids(p, &cap, &fi, filter);
		ioasid_fdinfo_free(&fi);
		if (ret)
			break;
	}
	closedir(d);
	close(ifd);
	if (ret || !any)
		return ret;
	dedup_ids(p);
	if (!p->nids)
		return 0;
	p->pid = pid;
	/* What it is and where it runs; gone if it has just exited */
	ret = cg_readat(pdir, "comm", name, sizeof(name));
	if (ret) {
		holder_free(p);
		memset(p, 0, sizeof(*p));
		return skippable(ret) ? 0 : ret;
	}
	snprintf(p->comm, sizeof(p->comm), "%s", name);
	fd = openat(pdir, "cgroup", O_RDONLY | O_CLOEXEC);
	f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!f && fd >= 0)
		close(fd);
	if (f && !parse_proc_cgroup(f, cg, sizeof(cg)))
		p->cgroup = strdup(cg);
	if (f)
		fclose(f);
	return 0;
}

/* Most IDs first, then by pid: the order ps prints */
static int holder_cmp(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->nids != y->nids)
		return x->nids > y->nids ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

struct id_owner {
	unsigned int id;
	size_t proc;
};

static int owner_cmp(const void *a, const void *b)
{
	const struct id_owner *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* ->shared: the IDs of each holder that another holder holds too */
static int count_shared(struct holders *h)
{
	struct id_owner *all;
	size_t total = 0, k = 0, i, j;

	for (i = 0; i < h->n; i++)
		total += h->procs[i].nids;
	if (!total)
		return 0;
	all = malloc(total * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (i = 0; i < h->n; i++) {
		for (j = 0; j < h->procs[i].nids; j++)
			all[k++] = (struct id_owner){ h->procs[i].ids[j].id, i };
	}
	qsort(all, total, sizeof(*all), owner_cmp);
	for (i = 0; i < total; i = j) {
		for (j = i + 1; j < total && all[j].id == all[i].id; j++)
			;
		if (j - i > 1) {
			for (k = i; k < j; k++)
				h->procs[all[k].proc].shared++;
		}
	}
	free(all);
	return 0;
}

void holders_free(struct holders *h)
{
	for (size_t i = 0; i < h->n; i++)
		holder_free(&h->procs[i]);
	free(h->procs);
	h->procs = NULL;
	h->n = 0;
}

int holders_scan(const char *proc, const char *filter, struct holders *h)
{
	size_t cap = 0;
	struct dirent *de;
	int pfd, ret = 0;
	DIR *d;

	memset(h, 0, sizeof(*h));
	if (filter && !strcmp(filter, "/"))
		filter = NULL;
	pfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	d = fdopendir(pfd);
	if (!d) {
		ret = -errno;
		close(pfd);
		return ret;
	}
	while ((de = readdir(d))) {
		unsigned long long pid;
		struct holder p = { 0 };
		int dir;

		if (parse_uint(de->d_name, INT_MAX, &pid) || !pid)
			continue;
		dir = openat(pfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0)
			continue;	/* gone since readdir() */
		ret = scan_process(h, dir, (int)pid, filter, &p);
		close(dir);
		if (!ret && p.nids && h->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct holder *g = realloc(h->procs, ncap * sizeof(*g));

			if (g) {
				h->procs = g;
				cap = ncap;
			} else {
				ret = -ENOMEM;
			}
		}
		if (ret) {
			holder_free(&p);
			break;
		}
		if (p.nids)
			h->procs[h->n++] = p;
		else
			holder_free(&p);
	}
	closedir(d);
	if (!ret)
		ret = count_shared(h);
	if (ret) {
		holders_free(h);
		return ret;
	}
	if (h->n)
		qsort(h->procs, h->n, sizeof(*h->procs), holder_cmp);
	return 0;
}

/* top: the order of the tree */
static int sibling_cmp(const void *a, const void *b, void *arg)
{
	const struct top_node *nodes = arg;
	const struct top_node *x = &nodes[*(const size_t *)a], *y = &nodes[*(const size_t *)b];

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	if (x->current != y->current)
		return x->current > y->current ? -1 : 1;
	return strcmp(x->rel, y->rel);
}

struct orderer {
	const struct top_node *in;
	struct top_node *out;
	const size_t *idx;	/* indices, grouped by parent */
	const size_t *start;	/* start[p + 1]: where the children of p begin */
	size_t *newpos;		/* old index -> new index */
	size_t w;
};

static void place(struct orderer *o, size_t old, long parent, int depth)
{
	size_t me = o->w++;

	o->out[me] = o->in[old];
	o->out[me].parent = parent;
	o->out[me].depth = depth;
	o->newpos[old] = me;
	for (size_t k = o->start[old + 1]; k < o->start[old + 2]; k++)
		place(o, o->idx[k], (long)me, depth + 1);
}

int top_order(struct top_node *nodes, size_t n)
{
	size_t *idx, *start, *newpos, i;
	struct top_node *out;
	struct orderer o;

	if (!n)
		return 0;
	idx = calloc(n, sizeof(*idx));
	start = calloc(n + 2, sizeof(*start));
	newpos = calloc(n, sizeof(*newpos));
	out = calloc(n, sizeof(*out));
	if (!idx || !start || !newpos || !out) {
		free(idx);
		free(start);
		free(newpos);
		free(out);
		return -ENOMEM;
	}
	/* A parent that is not in the array, or not before: a top of its own */
	for (i = 0; i < n; i++) {
		if (nodes[i].parent < 0 || (size_t)nodes[i].parent >= i)
			nodes[i].parent = -1;
		idx[i] = i;
	}
	qsort_r(idx, n, sizeof(*idx), sibling_cmp, nodes);
	/* The children of parent p are idx[start[p + 1]] up to idx[start[p + 2]] */
	for (i = 0; i < n; i++)
		start[nodes[i].parent + 2]++;
	for (i = 1; i < n + 2; i++)
		start[i] += start[i - 1];
	o = (struct orderer){ nodes, out, idx, start, newpos, 0 };
	for (i = start[0]; i < start[1]; i++)
		place(&o, idx[i], -1, 0);
	memcpy(nodes, out, n * sizeof(*nodes));
	free(idx);
	free(start);
	free(newpos);
	free(out);
	return 0;
}

static int rel_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct top_node *const *)a)->rel,
		      (*(const struct top_node *const *)b)->rel);
}

void top_rates(struct top_node *cur, size_t n, const struct top_node *prev, size_t pn,
	       double dt)
{
	const struct top_node **by_rel = NULL;
	size_t i;

	if (dt > 0 && pn)
		by_rel = malloc(pn * sizeof(*by_rel));
	for (i = 0; by_rel && i < pn; i++)
		by_rel[i] = &prev[i];
	if (by_rel)
		qsort(by_rel, pn, sizeof(*by_rel), rel_cmp);
	for (i = 0; i < n; i++) {
		const struct top_node *key = &cur[i], **p;

		cur[i].rate = -1;
		if (!by_rel || cur[i].root)
			continue;
		p = bsearch(&key, by_rel, pn, sizeof(*by_rel), rel_cmp);
		if (p && !(*p)->root && (*p)->events <= cur[i].events)
			cur[i].rate = (double)(cur[i].events - (*p)->events) / dt;
	}
	free(by_rel);
}

void top_nodes_free(struct top_node *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(nodes[i].rel);
	free(nodes);
}

/* top: the table's columns, right of CGROUP */
#define TOP_NAME_MIN	16
#define TOP_NAME_BATCH	32
#define TOP_NUMS_SHORT	(3 * 9 + 11)		/* current max peak, refused/s */
#define TOP_NUMS_FULL	(TOP_NUMS_SHORT + 4 * 7)	/* and the four kinds */

int top_full(int width)
{
	return width <= 0 || width >= TOP_NAME_MIN + TOP_NUMS_FULL;
}

static int name_width(int width)
{
	int w;

	if (width <= 0)
		return TOP_NAME_BATCH;
	w = width - (top_full(width) ? TOP_NUMS_FULL : TOP_NUMS_SHORT);
	return w < TOP_NAME_MIN ? TOP_NAME_MIN : w;
}

/* The line of @nw columns for the name and the ten strings of numbers */
static int top_line(char *buf, size_t len, int width, const char *name,
		    const char *const v[8])
{
	int nw = name_width(width), n;

	if (top_full(width))
		n = snprintf(buf, len, "%-*.*s %8s %8s %8s %6s %6s %6s %6s %10s", nw, nw, name,
			     v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
	else
		n = snprintf(buf, len, "%-*.*s %8s %8s %8s %10s", nw, nw, name, v[0], v[1],
			     v[2], v[7]);
	return n < 0 ? 0 : (size_t)n >= len ? (int)len - 1 : n;
}

int top_header(char *buf, size_t len, int width)
{
	static const char *const v[8] = { "CURRENT", "MAX", "PEAK", "SVA", "FILE", "GUEST",
					  "DRIVER", "REFUSED/s" };

	return top_line(buf, len, width, "CGROUP", v);
}

void name_escape(const char *s, char *buf, size_t len)
{
	size_t w = 0;

	if (!len)
		return;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool esc = c <= ' ' || c == '\\' || c == 0x7f;

		if (w + (esc ? 4 : 1) >= len)
			break;
		if (esc)
			w += (size_t)snprintf(buf + w, len - w, "\\%03o", c);
		else
			buf[w++] = (char)c;
	}
	buf[w] = '\0';
}

int top_row(const struct top_node *node, char *buf, size_t len, int width)
{
	char s[8][24], name[PATH_MAX];
	size_t ind;
	const char *v[8], *base = strrchr(node->rel, '/');
	int nw = name_width(width), k;
	size_t n;

	/* The last component, indented: the tree says the rest */
	if (!base || node->root || !base[1])
		base = node->rel;
	else
		base++;
	/* A name is any bytes but '/': none may reach the terminal raw */
	ind = node->depth > 0 ? 2 * (size_t)node->depth : 0;
	if (ind > sizeof(name) / 2)
		ind = sizeof(name) / 2;
	memset(name, ' ', ind);
	name_escape(base, name + ind, sizeof(name) - ind);
	n = strlen(name);
	if (n > (size_t)nw) {
		name[nw - 1] = '~';
		name[nw] = '\0';
	}
	snprintf(s[0], sizeof(s[0]), "%llu", node->current);
	snprintf(s[1], sizeof(s[1]), "%s", node->root ? "-" : node->max);
	if (node->root)
		snprintf(s[2], sizeof(s[2]), "-");
	else
		snprintf(s[2], sizeof(s[2]), "%llu", node->peak);
	for (k = 0; k < NR_KINDS; k++) {
		if (node->have_stat)
			snprintf(s[3 + k], sizeof(s[3 + k]), "%llu", node->nr[k]);
		else
			snprintf(s[3 + k], sizeof(s[3 + k]), "-");
	}
	if (node->rate < 0)
		snprintf(s[7], sizeof(s[7]), "-");
	else
		snprintf(s[7], sizeof(s[7]), "%.1f", node->rate);
	for (k = 0; k < 8; k++)
		v[k] = s[k];
	return top_line(buf, len, width, name, v);
}
