// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harnesses of ioasidctl's parsers, run under ASan and UBSan.
 * One binary per target: build with -DFUZZ_<target>, one of
 *
 *   parse_uint      first byte '0'..'9' picks maxval, the rest is the string
 *   parse_limit     the string
 *   parse_range     the string (alloc's --range FIRST-LAST)
 *   parse_events    the string (an ioasids.events line)
 *   unescape_octal  the string
 *   find_mount      a mountinfo file
 *   resolve         a mode byte ('C' a walk that creates, anything else one
 *                   that does not), then a cgroup path, where a leading '@'
 *                   stands for the mount
 *   unit_interface  a unit name
 *   holders         a mode byte ('S' ioasids.stat, anything else the fdinfo
 *                   of a /dev/ioasid file), then the file
 *
 * Each checks the function against its contract and a model written here,
 * not only for crashes: a broken property abort()s. See "make fuzz".
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cgroupfs.h"
#include "../holders.h"
#include "../parse.h"
#include "../unit.h"
#include "../util.h"

#define __maybe_unused	__attribute__((unused))

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz: %s:%d: property broken: %s\n", \
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a C string, as argv would carry it: up to the first NUL */
static __maybe_unused char *input_str(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);

	CHECK(s);
	return s;
}

/* parse_uint()'s contract, computed digit by digit without strtoull() */
static __maybe_unused int model_uint(const char *s, unsigned long long maxval,
				     unsigned long long *out)
{
	unsigned long long v = 0;
	bool big = false;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		d = *s - '0';
		if (v > (ULLONG_MAX - d) / 10)
			big = true;
		else
			v = v * 10 + d;
	}
	if (big || v > maxval)
		return -ERANGE;
	*out = v;
	return 0;
}

/* A ".." path component anywhere in @p */
static __maybe_unused bool has_dotdot(const char *p)
{
	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		if (!p[n])
			return false;
		p += n + 1;
	}
}

/* mountinfo's \ooo escapes decoded; returns the bytes written (NULs too) */
static __maybe_unused size_t model_unescape(const char *s, char *out)
{
	size_t n = strlen(s), i = 0, w = 0;

	while (i < n) {
		/* s[i + 1..3] stop at the NUL: never read past it */
		if (s[i] == '\\' && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			out[w++] = (char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) |
					  (s[i + 3] - '0'));
			i += 4;
		} else {
			out[w++] = s[i++];
		}
	}
	out[w] = '\0';
	return w;
}

#if defined(FUZZ_parse_uint)

static const unsigned long long maxvals[10] = {
	0, 1, 9, 10, 4095, 1ULL << 20, UINT_MAX, LLONG_MAX, ULLONG_MAX - 1, ULLONG_MAX,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned long long sentinel = 0x5a5a5a5a5a5a5a5aULL;
	unsigned long long maxval, v = sentinel, w, m;
	char printed[32];
	const char *t;
	char *s;
	int ret;

	if (!size)
		return 0;
	maxval = maxvals[(unsigned char)(data[0] - '0') % ARRAY_SIZE(maxvals)];
	s = input_str(data + 1, size - 1);

	ret = parse_uint(s, maxval, &v);
	CHECK(ret == model_uint(s, maxval, &m));
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ERANGE);
		CHECK(v == sentinel);		/* *out untouched on failure */
		goto out;
	}
	CHECK(v == m && v <= maxval);
	/* The printed form is the input less leading zeros, and re-parses */
	snprintf(printed, sizeof(printed), "%llu", v);
	for (t = s; t[0] == '0' && t[1]; t++)
		;
	CHECK(!strcmp(t, printed));
	CHECK(parse_uint(printed, maxval, &w) == 0 && w == v);
	/* maxval is inclusive, and exact */
	CHECK(parse_uint(printed, v, &w) == 0 && w == v);
	if (v)
		CHECK(parse_uint(printed, v - 1, &w) == -ERANGE);
	if (v < ULLONG_MAX) {
		snprintf(printed, sizeof(printed), "%llu", v + 1);
		CHECK(parse_uint(printed, v, &w) == -ERANGE);
	}
out:
	CHECK(parse_uint(NULL, maxval, &v) == -EINVAL);
	free(s);
	return 0;
}

#elif defined(FUZZ_parse_limit)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const long long sentinel = -424242;
	char *s = input_str(data, size);
	long long v = sentinel, w;
	unsigned long long m;
	char printed[32];
	int ret;

	ret = parse_limit(s, &v);
	if (!strcmp(s, "max")) {
		CHECK(ret == 0 && v == -1);
	} else {
		/* Anything else is a count in [0, 1 << 20], never -1 */
		CHECK(ret == model_uint(s, 1ULL << 20, &m));
		if (ret)
			CHECK(v == sentinel);
		else
			CHECK(v >= 0 && v <= 1 << 20 && (unsigned long long)v == m);
	}
	if (!ret) {
		/* What "ioasidctl show" prints for it parses back the same */
		if (v == -1)
			snprintf(printed, sizeof(printed), "max");
		else
			snprintf(printed, sizeof(printed), "%lld", v);
		CHECK(parse_limit(printed, &w) == 0 && w == v);
	}
	free(s);
	return 0;
}

#elif defined(FUZZ_parse_range)

static const unsigned long long maxvals[4] = { 10, 1ULL << 20, 0xfffffffeULL, ULLONG_MAX };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned long long sentinel = 0x5a5a5a5a5a5a5a5aULL;
	unsigned long long maxval, a = sentinel, b = sentinel, ma, mb, x, y;
	char *s, *dash, printed[48];
	int ret, want;

	if (!size)
		return 0;
	maxval = maxvals[data[0] % ARRAY_SIZE(maxvals)];
	s = input_str(data + 1, size - 1);

	/* The model: split at the first '-', two parse_uint()s, in order */
	dash = strchr(s, '-');
	if (!dash) {
		want = -EINVAL;
	} else {
		*dash = '\0';
		want = model_uint(s, maxval, &ma);
		if (!want)
			want = model_uint(dash + 1, maxval, &mb);
		if (!want && ma > mb)
			want = -ERANGE;
		*dash = '-';
	}
	ret = parse_range(s, maxval, &a, &b);
	CHECK(ret == want);
	if (ret) {
		CHECK(a == sentinel && b == sentinel);	/* untouched on failure */
		goto out;
	}
	CHECK(a == ma && b == mb && a <= b && b <= maxval);
	/* Printed back, it parses the same */
	snprintf(printed, sizeof(printed), "%llu-%llu", a, b);
	CHECK(parse_range(printed, maxval, &x, &y) == 0 && x == a && y == b);
out:
	CHECK(parse_range(NULL, maxval, &a, &b) == -EINVAL);
	free(s);
	return 0;
}

#elif defined(FUZZ_parse_events)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned long long sentinel = 0xa5a5a5a5a5a5a5a5ULL;
	unsigned long long v = sentinel, w, m;
	char *s = input_str(data, size);
	char printed[48];
	int ret;

	ret = parse_events(s, &v);
	if (strncmp(s, "max ", 4)) {
		CHECK(ret == -EINVAL);
	} else {
		/* Exactly one space, then a full-range count */
		CHECK(ret == model_uint(s + 4, ULLONG_MAX, &m));
		if (!ret)
			CHECK(v == m);
	}
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ERANGE);
		CHECK(v == sentinel);
	} else {
		snprintf(printed, sizeof(printed), "max %llu", v);
		CHECK(parse_events(printed, &w) == 0 && w == v);
	}
	free(s);
	return 0;
}

#elif defined(FUZZ_unescape_octal)

/* How the kernel's mountinfo writes a path: " \t\n\\" as \ooo */
static void kernel_escape(const char *s, char *out)
{
	for (; *s; s++) {
		if (strchr(" \t\n\\", *s))
			out += sprintf(out, "\\%03o", (unsigned char)*s);
		else
			*out++ = *s;
	}
	*out = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = input_str(data, size), *buf, *model, *esc;
	size_t n = strlen(s), m;

	buf = strdup(s);
	model = malloc(n + 1);
	esc = malloc(4 * n + 1);
	CHECK(buf && model && esc);

	/* In place: never longer, and the bytes the model decodes */
	unescape_octal(buf);
	CHECK(strlen(buf) <= n);
	m = model_unescape(s, model);
	CHECK(!memcmp(buf, model, m + 1));
	if (!strchr(s, '\\'))
		CHECK(!strcmp(buf, s));

	/* Undoes the kernel's escaping of any path */
	kernel_escape(s, esc);
	unescape_octal(esc);
	CHECK(!strcmp(esc, s));

	free(esc);
	free(model);
	free(buf);
	free(s);
	return 0;
}

#elif defined(FUZZ_find_mount)

/*
 * The mount point cg_find_mount() should report: the 5th space-separated
 * field, before " - ", of the first line whose fields after the separator
 * start with cgroup2, unescaped. NULL if none. Lines end at '\n', their text at a NUL.
 */
static char *model_mount(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t llen = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, llen), *sep, *f, *out;
		int i;

		CHECK(line);
		p += llen + 1;
		sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8)) {
			free(line);
			continue;
		}
		f = line;
		for (i = 0; i < 5; i++) {
			f += strspn(f, " ");
			if (!*f)
				break;
			if (i < 4)
				f += strcspn(f, " ");
		}
		/* The mount point comes before the separator */
		if (!*f || f >= sep) {
			free(line);
			continue;
		}
		f[strcspn(f, " ")] = '\0';
		out = malloc(strlen(f) + 1);
		CHECK(out);
		model_unescape(f, out);
		free(line);
		return out;
	}
	return NULL;
}

static int find(const uint8_t *data, size_t size, char *buf, size_t len)
{
	FILE *f = fmemopen((void *)data, size, "r");
	int ret;

	CHECK(f);
	ret = cg_find_mount(f, buf, len);
	fclose(f);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *small, *model;
	size_t n;
	int ret;

	if (!size)	/* fmemopen() wants a buffer */
		return 0;
	buf = malloc(PATH_MAX);
	CHECK(buf);
	ret = find(data, size, buf, PATH_MAX);
	model = model_mount(data, size);
	if (model && strlen(model) >= PATH_MAX) {
		/* An escaped path may be four times as long as the result */
		CHECK(ret == -ENAMETOOLONG);
	} else {
		CHECK(!ret == !!model);
		if (model)
			CHECK(!strcmp(buf, model));
	}
	free(model);
	if (ret)
		goto out;
	/* Exact-size heap buffers: one byte short is refused, not overrun */
	n = strlen(buf);
	CHECK(n < PATH_MAX);
	small = malloc(n + 1);
	CHECK(small);
	CHECK(find(data, size, small, n + 1) == 0 && !strcmp(small, buf));
	if (n)
		CHECK(find(data, size, small, n) == -ENAMETOOLONG);
	free(small);
out:
	free(buf);
	return 0;
}

#elif defined(FUZZ_resolve)

static char top[PATH_MAX], mnt[PATH_MAX];
static struct cgfs fs;

/* What the fixture holds under the mount: directories, and what is not one */
static const char *const dirs[] = {
	"", "a", "a/b", "a/b/c", "with space", "tab\tname", "nl\nname", "..x", "...", "-",
	"oct\\040al", "a..b", "a..b/c..",
};
static const char *const links[][2] = {
	{ "in", "a/b" },			/* stays inside: still refused */
	{ "a/b/back", "../.." },		/* the mount itself */
	{ "up", ".." },				/* the mount's parent */
	{ "out", "../outside" },
	{ "sib", "../mntx" },			/* shares mnt's prefix */
	{ "a/b/deep", "../../../outside" },
	{ "root", "/" },
	{ "self", "." },
	{ "loop", "loop" },
	{ "dangling", "nowhere" },
};

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	cgfs_close(&fs);
	nftw(top, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* @name under @dir: a symlink to @target, a file, or a directory */
static void mk(const char *dir, const char *name, const char *target)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (target)
		CHECK(!symlink(target, p));
	else if (!strcmp(name, "file"))
		CHECK(!close(creat(p, 0644)));
	else
		CHECK(!mkdir(p, 0755));
}

/*
 * A private tree: $TMPDIR/ioasidctl-fuzz.XXXXXX/{mnt,mntx,outside}, the
 * mount "mnt" with plain, odd and symlinked names, some leading out.
 * Walks that create do so in a copy made for the input, "mnt/scratch".
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char p[PATH_MAX];
	size_t i;

	(void)argc;
	(void)argv;
	snprintf(p, sizeof(p), "%s/ioasidctl-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	CHECK(mkdtemp(p) && realpath(p, top));
	atexit(cleanup);
	snprintf(mnt, sizeof(mnt), "%s/mnt", top);
	mk(top, "mnt", NULL);
	mk(top, "mntx", NULL);
	mk(top, "outside", NULL);
	for (i = 1; i < ARRAY_SIZE(dirs); i++)
		mk(mnt, dirs[i], NULL);
	mk(mnt, "file", NULL);
	for (i = 0; i < ARRAY_SIZE(links); i++)
		mk(mnt, links[i][0], links[i][1]);
	/* Absolute links, in and out */
	snprintf(p, sizeof(p), "%s/a", mnt);
	mk(mnt, "in-abs", p);
	snprintf(p, sizeof(p), "%s/outside", top);
	mk(mnt, "out-abs", p);
	CHECK(cgfs_open(&fs, mnt) == 0);
	return 0;
}

/* @p is @m or below it */
static bool under(const char *p, const char *m)
{
	size_t n = strlen(m);

	return !strncmp(p, m, n) && (!p[n] || p[n] == '/');
}

static bool listed(const char *rel, bool *dir)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (!strcmp(rel, dirs[i]))
			return (*dir = true);
	}
	*dir = false;
	for (i = 0; i < ARRAY_SIZE(links); i++) {
		if (!strcmp(rel, links[i][0]))
			return true;
	}
	return !strcmp(rel, "file") || !strcmp(rel, "in-abs") || !strcmp(rel, "out-abs");
}

/*
 * cg_resolve()'s contract against the fixture, written without it: text
 * refusals first, then component by component (no "." or empty ones):
 * too long a name, too long for @len, then a directory (go on), anything
 * else there (-EXDEV: symlinks are never followed) or nothing (-ENOENT,
 * or with @create, made). Returns the error and @canon, the path walked.
 */
static int model_resolve(const char *path, size_t len, bool create, char *canon)
{
	const char *p = path;
	size_t n, used = 0;
	bool dir;

	canon[0] = '\0';
	if (!*path)
		return -EINVAL;
	if (has_dotdot(path))
		return -EXDEV;
	if (path[0] == '/' && strcmp(path, "/")) {
		if (!under(path, mnt))
			return -EXDEV;
		p = path + strlen(mnt);
	}
	for (;;) {
		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (!n)
			return 0;
		if (n == 1 && p[0] == '.') {
			p++;
			continue;
		}
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		if (used + !!used + n >= len)
			return -ENAMETOOLONG;
		if (used)
			canon[used++] = '/';
		memcpy(canon + used, p, n);
		used += n;
		canon[used] = '\0';
		p += n;
		if (listed(canon, &dir)) {
			if (!dir)
				return -EXDEV;	/* a symlink or a file: never followed */
		} else if (!create) {
			return -ENOENT;
		}
		/* else not in the fixture, and a creating walk makes it */
	}
}

/* enter's calls: the root, then each directory the walk leaves */
struct trail {
	char last[PATH_MAX];
	int calls;
};

static int trail_enter(int dirfd, const char *rel, void *arg)
{
	struct trail *t = arg;
	size_t n = strlen(rel), m = strlen(t->last);
	struct stat st;

	CHECK(!fstat(dirfd, &st) && S_ISDIR(st.st_mode));
	/* The root first, then one component more at each call */
	if (!t->calls) {
		CHECK(n == 0);
	} else {
		CHECK(n > m && !strncmp(rel, t->last, m));
		CHECK(m ? rel[m] == '/' && !strchr(rel + m + 1, '/') : !strchr(rel, '/'));
	}
	CHECK(n < sizeof(t->last));
	memcpy(t->last, rel, n + 1);
	t->calls++;
	return 0;
}

/* The components of a canonical path: "" 0, "a" 1, "a/b" 2 */
static int depth(const char *rel)
{
	int d = *rel ? 1 : 0;

	for (; *rel; rel++)
		d += *rel == '/';
	return d;
}

/* How many components of @rel are not in the fixture: what a walk makes */
static int made(const char *rel)
{
	char *p = strdup(rel), *slash;
	int n = 0;
	bool dir;

	CHECK(p);
	while (*p && !listed(p, &dir)) {
		n++;
		slash = strrchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	free(p);
	return n;
}

/* Remove what a creating walk made along @rel: the fixture stays as it was */
static void unmake(char *rel)
{
	bool dir;

	while (*rel && !listed(rel, &dir)) {
		char *slash = strrchr(rel, '/');

		/* The component that failed may not exist */
		CHECK(!unlinkat(fs.fd, rel, AT_REMOVEDIR) || errno == ENOENT);
		if (!slash)
			break;
		*slash = '\0';
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trail trail = { .calls = 0 };
	struct cg_walk walk = { .enter = trail_enter, .arg = &trail };
	char *s, *path, *rel, *canon, *full, *real;
	struct stat a, b;
	int fd, want, again;
	size_t n;

	if (!size)
		return 0;
	walk.create = data[0] == 'C';
	s = input_str(data + 1, size - 1);
	/* '@' stands for the mount, to reach absolute paths under it */
	if (s[0] == '@') {
		CHECK(asprintf(&path, "%s%s", mnt, s + 1) > 0);
		free(s);
	} else {
		path = s;
	}
	rel = malloc(PATH_MAX);
	canon = malloc(PATH_MAX);
	CHECK(rel && canon);
	memset(rel, 'R', PATH_MAX);

	want = model_resolve(path, PATH_MAX, walk.create, canon);
	/*
	 * mkdir() and rmdir() cost a hundred times a lookup: a walk that would
	 * make more than a few directories is fuzzed as one that does not
	 */
	if (walk.create && made(canon) > 3) {
		walk.create = false;
		want = model_resolve(path, PATH_MAX, false, canon);
	}
	fd = cg_resolve(&fs, path, &walk, rel, PATH_MAX);
	CHECK(fd < 0 ? fd == want : want == 0);
	/* @rel: the canonical path, or as far as the walk got */
	CHECK(memchr(rel, '\0', PATH_MAX) && !strcmp(rel, canon));
	if (fd < 0) {
		/* Refused as text: nothing opened, nothing entered */
		if (want == -EINVAL || (want == -EXDEV && !*canon))
			CHECK(trail.calls == 0);
		goto out;
	}
	/* Entered: the root, then every directory but the target */
	CHECK(trail.calls == (*rel ? depth(rel) : 1));
	CHECK(rel[0] != '/' && !has_dotdot(rel));
	/* The very directory it names, with no symlink on the way */
	CHECK(!fstat(fd, &a) && !fstatat(fs.fd, *rel ? rel : ".", &b, AT_SYMLINK_NOFOLLOW));
	CHECK(S_ISDIR(b.st_mode) && a.st_dev == b.st_dev && a.st_ino == b.st_ino);
	CHECK(asprintf(&full, "%s%s%s", mnt, *rel ? "/" : "", rel) > 0);
	if (strlen(full) < PATH_MAX) {
		real = realpath(full, NULL);
		CHECK(real && !strcmp(real, full));
		free(real);
	}
	free(full);
	close(fd);
	/* Exact-size buffers: one byte short is refused, not overrun */
	n = strlen(rel);
	again = cg_resolve(&fs, path, NULL, canon, n + 1);
	CHECK(again >= 0 && !strcmp(canon, rel));
	close(again);
	CHECK(cg_resolve(&fs, path, NULL, canon, n) == -ENAMETOOLONG);
out:
	if (walk.create)
		unmake(rel);
	free(canon);
	free(rel);
	free(path);
	return 0;
}

#elif defined(FUZZ_unit_interface)

static const struct {
	const char *type, *iface;
} cg_types[] = {
	{ "service", "org.freedesktop.systemd1.Service" },
	{ "slice", "org.freedesktop.systemd1.Slice" },
	{ "scope", "org.freedesktop.systemd1.Scope" },
	{ "socket", "org.freedesktop.systemd1.Socket" },
	{ "mount", "org.freedesktop.systemd1.Mount" },
	{ "swap", "org.freedesktop.systemd1.Swap" },
};

/*
 * systemd's unit_name_is_valid() for plain and instance names (a template
 * "foo@.service" has no cgroup), restricted to the types with a cgroup
 */
static const char *model_unit(const char *name)
{
	const char *dot = strrchr(name, '.'), *at = strchr(name, '@'), *c;
	size_t n = strlen(name), i;

	if (!n || n >= 256 || !dot || dot == name)
		return NULL;
	for (c = name; *c; c++) {
		if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
		    !(*c >= '0' && *c <= '9') && !strchr(":-_.\\@", *c))
			return NULL;
	}
	if (at && (at == name || at + 1 == dot))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(cg_types); i++) {
		if (!strcmp(dot + 1, cg_types[i].type))
			return cg_types[i].iface;
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = input_str(data, size);
	const char *iface = unit_interface(s), *model = model_unit(s);
	const char *dot = strrchr(s, '.');

	/* Sound: what it takes, systemd takes, as the same type */
	if (iface) {
		CHECK(model);
		CHECK(!model || !strcmp(iface, model));
		/* Safe to hand to D-Bus and to print: no path, no space */
		CHECK(!strchr(s, '/') && strcspn(s, " \t\n\r\v\f") == strlen(s));
	}
	/* Complete, but for what it refuses on purpose: ".a.service", "a@@.service" */
	if (model && s[0] != '.' && dot[-1] != '@')
		CHECK(iface);
	free(s);
	return 0;
}

#elif defined(FUZZ_holders)

/*
 * What the kernel would print for @fi: parsing it again must give the
 * same IDs, SPIDs and cgroups, and the same count and quota
 */
static char *fdinfo_text(const struct ioasid_fdinfo *fi)
{
	size_t cap = 64, n;
	char *t, *p;

	for (n = 0; n < fi->nids; n++)
		cap += 48 + (fi->ids[n].cgroup ? strlen(fi->ids[n].cgroup) : 0);
	t = malloc(cap);
	CHECK(t);
	p = t + sprintf(t, "pos:\t0\nioasid-quota:\t%llu\nioasid-count:\t%llu\n", fi->quota,
			fi->count);
	for (n = 0; n < fi->nids; n++) {
		const struct held_id *h = &fi->ids[n];
		const char *cg = h->cgroup;

		p += sprintf(p, "ioasid:\t%u spid:", h->id);
		p += h->guest ? sprintf(p, "%u", h->spid) : sprintf(p, "-");
		/* ioasidctl's names are the kernel's without the leading '/' */
		if (!cg)
			p += sprintf(p, " cgroup:-\n");
		else
			p += sprintf(p, " cgroup:%s%s\n", strcmp(cg, "/") ? "/" : "", cg);
	}
	return t;
}

static void check_fdinfo(const uint8_t *data, size_t size)
{
	struct ioasid_fdinfo fi, again;
	unsigned int line, lines = 0;
	FILE *f = fmemopen((void *)data, size, "r");
	size_t i;
	char *t;
	int ret;

	CHECK(f);
	ret = parse_ioasid_fdinfo(f, &fi, &line);
	fclose(f);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ENODATA);
		CHECK(!fi.ids && !fi.nids);
		/* The line is one of the input's: it ends there, or it is the last */
		CHECK(ret != -EINVAL || (line >= 1 && line <= lines + 1));
		return;
	}
	CHECK(line == 0);
	CHECK(fi.nids <= lines + 1);
	for (i = 0; i < fi.nids; i++) {
		const char *cg = fi.ids[i].cgroup;

		CHECK(fi.ids[i].id > 0);
		CHECK(!i || fi.ids[i].id > fi.ids[i - 1].id);
		CHECK(fi.ids[i].guest || fi.ids[i].spid == 0);
		if (cg)
			CHECK(*cg && !strchr(cg, '\n') && (cg[0] != '/' || !strcmp(cg, "/")));
	}
	t = fdinfo_text(&fi);
	f = fmemopen(t, strlen(t), "r");
	CHECK(f);
	CHECK(parse_ioasid_fdinfo(f, &again, &line) == 0);
	fclose(f);
	CHECK(again.nids == fi.nids && again.count == fi.count && again.quota == fi.quota);
	for (i = 0; i < fi.nids; i++) {
		const struct held_id *a = &fi.ids[i], *b = &again.ids[i];

		CHECK(a->id == b->id && a->guest == b->guest && a->spid == b->spid);
		CHECK(!a->cgroup == !b->cgroup);
		CHECK(!a->cgroup || !strcmp(a->cgroup, b->cgroup));
	}
	ioasid_fdinfo_free(&again);
	ioasid_fdinfo_free(&fi);
	free(t);
}

static void check_stat(const uint8_t *data, size_t size)
{
	unsigned long long nr[NR_KINDS], again[NR_KINDS];
	char *s = input_str(data, size), text[256];
	int k, n = 0;

	memset(nr, 0xa5, sizeof(nr));
	memcpy(again, nr, sizeof(nr));
	if (parse_ioasids_stat(s, nr)) {
		CHECK(!memcmp(nr, again, sizeof(nr)));	/* untouched */
		free(s);
		return;
	}
	/* Every kind is a line of the input, as the kernel writes it */
	for (k = 0; k < NR_KINDS; k++) {
		char want[64];

		snprintf(want, sizeof(want), "%s %llu", ioasid_kind_names[k], nr[k]);
		n += snprintf(text + n, sizeof(text) - n, "%s\n", want);
	}
	CHECK(parse_ioasids_stat(text, again) == 0 && !memcmp(nr, again, sizeof(nr)));
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)	/* the mode byte; fmemopen() wants a buffer */
		return 0;
	if (data[0] == 'S')
		check_stat(data + 1, size - 1);
	else if (size > 1)
		check_fdinfo(data + 1, size - 1);
	return 0;
}

#else
#error "build with -DFUZZ_<target>"
#endif
