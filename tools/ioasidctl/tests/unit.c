// SPDX-License-Identifier: GPL-2.0
/*
 * cmocka unit tests of ioasidctl's library: the parsers, the cgroup path
 * resolver, the output and the unit name checks, linked as they are.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../cgroupfs.h"
#include "../holders.h"
#include "../output.h"
#include "../parse.h"
#include "../unit.h"
#include "../util.h"

static void test_parse_uint(void **state)
{
	unsigned long long v = 7;

	(void)state;
	assert_int_equal(parse_uint("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint("10", 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(parse_uint("11", 10, &v), -ERANGE);
	assert_int_equal(parse_uint("99999999999999999999999", ~0ULL, &v), -ERANGE);
	assert_int_equal(v, 10);
	for (const char **s = (const char *[]){ "", "-1", "+1", " 1", "1 ", "1x",
						"0x10", "1.5", "max", NULL }; *s; s++)
		assert_int_equal(parse_uint(*s, ~0ULL, &v), -EINVAL);
	assert_int_equal(parse_uint(NULL, 1, &v), -EINVAL);
}

static void test_parse_limit(void **state)
{
	long long v = 0;

	(void)state;
	assert_int_equal(parse_limit("max", &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(parse_limit("1048576", &v), 0);
	assert_int_equal(v, 1048576);
	assert_int_equal(parse_limit("1048577", &v), -ERANGE);
	assert_int_equal(parse_limit("MAX", &v), -EINVAL);
	assert_int_equal(parse_limit("max ", &v), -EINVAL);
	assert_int_equal(parse_limit("-1", &v), -EINVAL);
}

static void test_parse_range(void **state)
{
	unsigned long long a = 7, b = 7;

	(void)state;
	assert_int_equal(parse_range("1-1048575", 0xfffffffeU, &a, &b), 0);
	assert_int_equal(a, 1);
	assert_int_equal(b, 1048575);
	assert_int_equal(parse_range("5-5", 10, &a, &b), 0);
	assert_int_equal(a, 5);
	assert_int_equal(b, 5);
	/* Refused: nothing written */
	assert_int_equal(parse_range("6-5", 10, &a, &b), -ERANGE);
	assert_int_equal(parse_range("5-11", 10, &a, &b), -ERANGE);
	assert_int_equal(parse_range("99999999999999999999999-1", ~0ULL, &a, &b), -ERANGE);
	for (const char **s = (const char *[]){ "", "5", "-5", "5-", "-", "5--6", "5-6-7",
						" 5-6", "5 -6", "5- 6", "+5-6", "5-+6",
						"a-b", "0x1-0x2", NULL }; *s; s++)
		assert_int_equal(parse_range(*s, ~0ULL, &a, &b), -EINVAL);
	assert_int_equal(parse_range(NULL, 1, &a, &b), -EINVAL);
	assert_int_equal(a, 5);
	assert_int_equal(b, 5);
}

static void test_parse_events(void **state)
{
	unsigned long long v = 0;

	(void)state;
	assert_int_equal(parse_events("max 42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_events("max", &v), -EINVAL);
	assert_int_equal(parse_events("min 1", &v), -EINVAL);
	assert_int_equal(parse_events("max -1", &v), -EINVAL);
	/* What strtok() gives watch for an empty read */
	assert_int_equal(parse_events(NULL, &v), -EINVAL);
}

static void test_find_mount(void **state)
{
	/* A hybrid host: v1 hierarchies first, then the unified one */
	static const char info[] =
		"22 28 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
		"30 22 0:26 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		"31 22 0:27 / /sys/fs/cgroup/unified\\040dir rw - cgroup2 cgroup2 rw,nsdelegate\n";
	char buf[PATH_MAX];
	FILE *f;

	(void)state;
	f = fmemopen((void *)info, sizeof(info) - 1, "r");
	assert_non_null(f);
	assert_int_equal(cg_find_mount(f, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/fs/cgroup/unified dir");
	fclose(f);

	f = fmemopen((void *)info, 80, "r");	/* no cgroup2 line */
	assert_int_equal(cg_find_mount(f, buf, sizeof(buf)), -ENOENT);
	fclose(f);
}

/* Found by fuzz-find_mount: fields end at spaces only, and may be long */
static void test_find_mount_odd(void **state)
{
	/* A raw \r, which the kernel does not escape, and an escaped space */
	static const char cr[] = "1 2 0:1 / /cg\rx\\040y rw - cgroup2 cgroup2 rw\n";
	char info[5 * PATH_MAX], buf[PATH_MAX], *p;
	FILE *f;

	(void)state;
	f = fmemopen((void *)cr, sizeof(cr) - 1, "r");
	assert_non_null(f);
	assert_int_equal(cg_find_mount(f, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/cg\rx y");
	fclose(f);

	/* A mount point of 1,100 escaped spaces: 4,401 bytes in mountinfo */
	p = info + sprintf(info, "1 2 0:1 / /");
	for (int i = 0; i < 1100; i++)
		p += sprintf(p, "\\040");
	sprintf(p, " rw - cgroup2 cgroup2 rw\n");
	f = fmemopen(info, strlen(info), "r");
	assert_non_null(f);
	assert_int_equal(cg_find_mount(f, buf, sizeof(buf)), 0);
	assert_int_equal(strlen(buf), 1101);
	assert_int_equal(strspn(buf + 1, " "), 1100);
	fclose(f);
	f = fmemopen(info, strlen(info), "r");
	assert_int_equal(cg_find_mount(f, buf, 1101), -ENAMETOOLONG);
	fclose(f);
}

/*
 * A scratch "mount" for the resolver: any directory will do, cg_resolve()
 * checks that each level is on the root's filesystem, not that it is
 * cgroup2. Beside it: a sibling sharing its prefix, and a place outside.
 */
struct scratch {
	char mnt[PATH_MAX];
	struct cgfs fs;
};

/* "<mnt><suffix>", or with @rel "<mnt>/<rel>" */
static char *at(const struct scratch *s, const char *rel, char *buf)
{
	snprintf(buf, 2 * PATH_MAX, "%s%s%s", s->mnt, rel ? "/" : "", rel ? rel : "");
	return buf;
}

static bool exists(const struct scratch *s, const char *rel)
{
	char p[2 * PATH_MAX];
	struct stat st;

	return !lstat(at(s, rel, p), &st);
}

static int scratch_setup(void **state)
{
	static const char *const dirs[] = {
		"a", "a/b", "a/with space\nnewline", "a..b", "..x",
	};
	char tmpl[] = "/tmp/ioasidctl-unit.XXXXXX", p[2 * PATH_MAX], q[2 * PATH_MAX];
	struct scratch *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, s->mnt));
	snprintf(p, sizeof(p), "%sx", s->mnt);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(q, sizeof(q), "%s.out", s->mnt);
	assert_int_equal(mkdir(q, 0755), 0);
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		assert_int_equal(mkdir(at(s, dirs[i], p), 0755), 0);
	assert_int_equal(symlink(q, at(s, "out", p)), 0);	/* out of the mount */
	assert_int_equal(symlink("a", at(s, "in", p)), 0);	/* within it */
	assert_int_equal(close(creat(at(s, "file", p), 0644)), 0);
	assert_int_equal(cgfs_open(&s->fs, s->mnt), 0);
	*state = s;
	return 0;
}

static int scratch_teardown(void **state)
{
	struct scratch *s = *state;
	char cmd[4 * PATH_MAX];

	cgfs_close(&s->fs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%sx' '%s.out'", s->mnt, s->mnt, s->mnt);
	assert_int_equal(system(cmd), 0);
	free(s);
	return 0;
}

/* cg_resolve() without a walk: 0 and the relative path, or -errno */
static int resolve(struct scratch *s, const char *path, char *rel)
{
	int fd = cg_resolve(&s->fs, path, NULL, rel, PATH_MAX);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

static void test_resolve(void **state)
{
	struct scratch *s = *state;
	char rel[PATH_MAX], p[2 * PATH_MAX];

	assert_int_equal(resolve(s, "a", rel), 0);
	assert_string_equal(rel, "a");
	assert_int_equal(resolve(s, "a/with space\nnewline", rel), 0);
	assert_string_equal(rel, "a/with space\nnewline");
	/* Canonical: no ".", "//" or trailing "/" */
	assert_int_equal(resolve(s, "./a//b/./", rel), 0);
	assert_string_equal(rel, "a/b");
	assert_int_equal(resolve(s, "/", rel), 0);
	assert_string_equal(rel, "");
	assert_int_equal(resolve(s, s->mnt, rel), 0);
	assert_string_equal(rel, "");

	/* @rel says where it stopped */
	assert_int_equal(resolve(s, "missing", rel), -ENOENT);
	assert_string_equal(rel, "missing");
	assert_int_equal(resolve(s, "a/missing/b", rel), -ENOENT);
	assert_string_equal(rel, "a/missing");
	assert_int_equal(resolve(s, "", rel), -EINVAL);
	assert_int_equal(resolve(s, NULL, rel), -EINVAL);

	/* A mount given with trailing slashes is the same mount */
	cgfs_close(&s->fs);
	snprintf(p, sizeof(p), "%s//", s->mnt);
	assert_int_equal(cgfs_open(&s->fs, p), 0);
	assert_string_equal(s->fs.mnt, s->mnt);
	assert_int_equal(resolve(s, at(s, "a/b", p), rel), 0);
	assert_string_equal(rel, "a/b");
	cg_path(&s->fs, rel, p, sizeof(p));
	assert_string_equal(p, at(s, "a/b", rel));
	cg_path(&s->fs, "", p, sizeof(p));
	assert_string_equal(p, s->mnt);
}

/*
 * The first path bug of issue 14: enable refused "a..b", having searched
 * the text for "..". Only a component that is exactly ".." is refused, by
 * every verb, and before anything is created.
 */
static void test_resolve_dotdot(void **state)
{
	static const char *const refused[] = {
		"..", "../", "a/..", "a/../a", "a..b/..", "a/b/../..", "/..", "a//..//b",
	};
	struct scratch *s = *state;
	struct cg_walk create = { .create = true };
	char rel[PATH_MAX];
	int fd;

	assert_int_equal(resolve(s, "a..b", rel), 0);
	assert_string_equal(rel, "a..b");
	assert_int_equal(resolve(s, "..x", rel), 0);
	assert_string_equal(rel, "..x");
	/* As enable and run --cgroup walk it, creating */
	fd = cg_resolve(&s->fs, "a..b/c..", &create, rel, sizeof(rel));
	assert_true(fd >= 0);
	close(fd);
	assert_string_equal(rel, "a..b/c..");
	assert_true(exists(s, "a..b/c.."));
	fd = cg_resolve(&s->fs, "new..dir/...", &create, rel, sizeof(rel));
	assert_true(fd >= 0);
	close(fd);
	assert_string_equal(rel, "new..dir/...");
	assert_true(exists(s, "new..dir/..."));

	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		assert_int_equal(resolve(s, refused[i], rel), -EXDEV);
		assert_string_equal(rel, "");	/* refused before the walk */
		assert_int_equal(cg_resolve(&s->fs, refused[i], &create, rel, sizeof(rel)),
				 -EXDEV);
	}
	assert_int_equal(cg_resolve(&s->fs, "fresh/..", &create, rel, sizeof(rel)), -EXDEV);
	assert_false(exists(s, "fresh"));
}

/*
 * The second path bug of issue 14: run --cgroup refused an absolute path
 * under the mount, which the other verbs, the help and the man page take.
 * The resolver takes one, in the creating walk of enable and run too, and
 * refuses anything outside.
 */
static void test_resolve_absolute(void **state)
{
	struct scratch *s = *state;
	struct cg_walk create = { .create = true };
	char rel[PATH_MAX], p[2 * PATH_MAX];
	int fd;

	assert_int_equal(resolve(s, at(s, "a", p), rel), 0);
	assert_string_equal(rel, "a");
	fd = cg_resolve(&s->fs, at(s, "a/job", p), &create, rel, sizeof(rel));
	assert_true(fd >= 0);
	close(fd);
	assert_string_equal(rel, "a/job");
	assert_true(exists(s, "a/job"));
	assert_int_equal(resolve(s, at(s, "", p), rel), 0);	/* "<mnt>/" */
	assert_string_equal(rel, "");

	/* Outside: another tree, a sibling sharing the prefix, through ".." */
	assert_int_equal(resolve(s, "/etc", rel), -EXDEV);
	assert_int_equal(resolve(s, "/tmp", rel), -EXDEV);
	snprintf(p, sizeof(p), "%sx", s->mnt);
	assert_int_equal(resolve(s, p, rel), -EXDEV);
	snprintf(p, sizeof(p), "%sx/new", s->mnt);
	assert_int_equal(cg_resolve(&s->fs, p, &create, rel, sizeof(rel)), -EXDEV);
	assert_string_equal(rel, "");
	assert_int_equal(access(p, F_OK), -1);
	snprintf(p, sizeof(p), "%s/../%s", s->mnt, strrchr(s->mnt, '/') + 1);
	assert_int_equal(resolve(s, p, rel), -EXDEV);
}

/* No symlink is followed, in or out; a walk that creates stops at one */
static void test_resolve_symlinks(void **state)
{
	struct scratch *s = *state;
	struct cg_walk create = { .create = true };
	char rel[PATH_MAX], p[2 * PATH_MAX];

	assert_int_equal(resolve(s, "out", rel), -EXDEV);
	assert_int_equal(resolve(s, "in", rel), -EXDEV);
	assert_int_equal(resolve(s, "in/b", rel), -EXDEV);
	assert_string_equal(rel, "in");
	assert_int_equal(resolve(s, "file", rel), -EXDEV);
	assert_int_equal(resolve(s, "file/x", rel), -EXDEV);
	assert_int_equal(cg_resolve(&s->fs, "out/x", &create, rel, sizeof(rel)), -EXDEV);
	assert_string_equal(rel, "out");
	snprintf(p, sizeof(p), "%s.out/x", s->mnt);
	assert_int_equal(access(p, F_OK), -1);
	/* cg_open_child() takes one name, never a path or ".." */
	assert_int_equal(cg_open_child(&s->fs, s->fs.fd, ".."), -EXDEV);
	assert_int_equal(cg_open_child(&s->fs, s->fs.fd, "a/b"), -EXDEV);
}

struct trail {
	char seen[8][64];
	int n, fail_at;
};

static int record(int dirfd, const char *rel, void *arg)
{
	struct trail *t = arg;

	assert_true(dirfd >= 0);
	assert_true(t->n < 8);
	snprintf(t->seen[t->n], sizeof(t->seen[t->n]), "%s", rel);
	return ++t->n == t->fail_at ? -EBUSY : 0;
}

/* enter: the root, then each directory the walk leaves, before creating */
static void test_resolve_walk(void **state)
{
	struct scratch *s = *state;
	struct trail t = { 0 };
	struct cg_walk walk = { .create = true, .enter = record, .arg = &t };
	char rel[PATH_MAX];
	int fd;

	fd = cg_resolve(&s->fs, "w/x/y", &walk, rel, sizeof(rel));
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.seen[0], "");
	assert_string_equal(t.seen[1], "w");
	assert_string_equal(t.seen[2], "w/x");

	/* The root alone is entered too: enable of the root writes there */
	t.n = 0;
	fd = cg_resolve(&s->fs, "/", &walk, rel, sizeof(rel));
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(t.n, 1);

	/* An error stops the walk where it is, before the next mkdir() */
	t = (struct trail){ .fail_at = 2 };
	assert_int_equal(cg_resolve(&s->fs, "v/w/x", &walk, rel, sizeof(rel)), -EBUSY);
	assert_string_equal(rel, "v");
	assert_true(exists(s, "v"));
	assert_false(exists(s, "v/w"));

	/* Too long for @rel: refused, not cut */
	assert_int_equal(cg_resolve(&s->fs, "a/b", NULL, rel, 3), -ENAMETOOLONG);
	fd = cg_resolve(&s->fs, "a/b", NULL, rel, 4);
	assert_true(fd >= 0);
	close(fd);
	assert_string_equal(rel, "a/b");
}

/* Run @fn with fd @which (1 or 2) captured into @buf */
static void capture(int which, void (*fn)(void), char *buf, size_t len)
{
	FILE *f = tmpfile();
	int saved = dup(which);
	size_t n;

	assert_non_null(f);
	fflush(NULL);
	assert_int_equal(dup2(fileno(f), which), which);
	fn();
	fflush(NULL);
	assert_int_equal(dup2(saved, which), which);
	close(saved);
	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void say_errors(void)
{
	errmsg(-ENOENT, "get: %s", "a\nb\001c");
	errmsg(0, "plain\ttab");
	assert_int_equal(usage_error("set", "bad limit '%s'", "x\ny"), EXIT_USAGE);
	assert_int_equal(usage_error(NULL, "--unit needs a unit NAME"), EXIT_USAGE);
}

static void say_json(void)
{
	json_t *o = json_object();

	json_object_set_new(o, "cgroup", json_string("a b"));
	json_object_set_new(o, "max", json_string("max"));
	json_object_set_new(o, "current", json_integer(3));
	assert_int_equal(json_print(o), 0);
}

/* Errors are one line each, whatever a name holds; JSON one compact line */
static void test_output(void **state)
{
	char buf[1024];

	(void)state;
	capture(2, say_errors, buf, sizeof(buf));
	assert_string_equal(buf,
			    "ioasidctl: get: a\\nb\\001c: No such file or directory\n"
			    "ioasidctl: plain\ttab\n"
			    "ioasidctl: set: bad limit 'x\\ny' (see 'ioasidctl help')\n"
			    "ioasidctl: --unit needs a unit NAME (see 'ioasidctl help')\n");
	capture(1, say_json, buf, sizeof(buf));
	assert_string_equal(buf, "{\"cgroup\":\"a b\",\"max\":\"max\",\"current\":3}\n");
}

static void test_unit_interface(void **state)
{
	(void)state;
	assert_string_equal(unit_interface("sva.service"), "org.freedesktop.systemd1.Service");
	assert_string_equal(unit_interface("tenants-a.slice"), "org.freedesktop.systemd1.Slice");
	assert_string_equal(unit_interface("run-u7.scope"), "org.freedesktop.systemd1.Scope");
	assert_string_equal(unit_interface("getty@tty1.service"), "org.freedesktop.systemd1.Service");
	assert_string_equal(unit_interface("x\\x2dy.mount"), "org.freedesktop.systemd1.Mount");
	/* Units without a cgroup, and names that are not unit names */
	assert_null(unit_interface("multi-user.target"));
	assert_null(unit_interface("sva.timer"));
	assert_null(unit_interface("sva"));
	assert_null(unit_interface(".service"));
	assert_null(unit_interface("getty@.service"));
	assert_null(unit_interface(""));
	assert_null(unit_interface("../x.service"));
	assert_null(unit_interface("a b.service"));
	assert_null(unit_interface("a\nb.service"));
	assert_null(unit_interface("system.slice/sva.service"));
}

static void unit_bad_name(void)
{
	char buf[PATH_MAX] = "untouched", err[256] = "";

	/* Refused before D-Bus is reached, and said in @err */
	assert_int_equal(unit_cgroup("multi-user.target", buf, sizeof(buf), err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(buf, "untouched");
	assert_non_null(strstr(err, "not a unit name with a cgroup"));
}

/* unit.c returns its errors: it prints nothing (it links without errmsg()) */
static void test_unit_cgroup_quiet(void **state)
{
	char out[256];

	(void)state;
	capture(2, unit_bad_name, out, sizeof(out));
	assert_string_equal(out, "");
}


static void test_parse_seconds(void **state)
{
	unsigned int ms = 7;

	(void)state;
	assert_int_equal(parse_seconds("2", &ms), 0);
	assert_int_equal(ms, 2000);
	assert_int_equal(parse_seconds("0.5", &ms), 0);
	assert_int_equal(ms, 500);
	assert_int_equal(parse_seconds("1.25", &ms), 0);
	assert_int_equal(ms, 1250);
	assert_int_equal(parse_seconds("0.1", &ms), 0);
	assert_int_equal(ms, 100);
	assert_int_equal(parse_seconds("3600", &ms), 0);
	assert_int_equal(ms, 3600000);
	/* Out of [0.1, 3600]: nothing written */
	assert_int_equal(parse_seconds("0", &ms), -ERANGE);
	assert_int_equal(parse_seconds("0.099", &ms), -ERANGE);
	assert_int_equal(parse_seconds("3600.001", &ms), -ERANGE);
	assert_int_equal(parse_seconds("3601", &ms), -ERANGE);
	assert_int_equal(ms, 3600000);
	for (const char **s = (const char *[]){ "", ".5", "1.", "1.2345", "-1", "+1", "1e3",
						"1,5", "1.5s", " 1", "1..2", "1.-5", NULL };
	     *s; s++)
		assert_int_equal(parse_seconds(*s, &ms), -EINVAL);
	assert_int_equal(parse_seconds(NULL, &ms), -EINVAL);
	assert_int_equal(ms, 3600000);
}

static void test_parse_ioasids_stat(void **state)
{
	unsigned long long nr[NR_KINDS] = { 9, 9, 9, 9 };

	(void)state;
	assert_int_equal(parse_ioasids_stat("sva 0\nfile 2\nguest 1\ndriver 0\n", nr), 0);
	assert_int_equal(nr[KIND_SVA], 0);
	assert_int_equal(nr[KIND_FILE], 2);
	assert_int_equal(nr[KIND_GUEST], 1);
	assert_int_equal(nr[KIND_DRIVER], 0);
	/* As cg_readat() gives it, without the last newline; any order */
	assert_int_equal(parse_ioasids_stat("driver 4\nguest 3\nfile 2\nsva 1", nr), 0);
	assert_int_equal(nr[KIND_SVA], 1);
	assert_int_equal(nr[KIND_DRIVER], 4);
	/* A key a later kernel adds is skipped */
	assert_int_equal(parse_ioasids_stat("sva 5\nfile 6\nguest 7\ndriver 8\nnew 1\n", nr), 0);
	assert_int_equal(nr[KIND_SVA], 5);
	assert_int_equal(nr[KIND_DRIVER], 8);
	/* Refused: nothing written */
	for (const char **s = (const char *[]){
		"", "sva 0\nfile 2\nguest 1\n",			/* a kind missing */
		"sva 0\nfile 2\nguest 1\ndriver 0\nsva 1\n",	/* twice */
		"sva 0\nfile -2\nguest 1\ndriver 0\n",		/* not a count */
		"sva 0\nfile 2x\nguest 1\ndriver 0\n",
		"sva 0\nfile  2\nguest 1\ndriver 0\n",
		"sva\nfile 2\nguest 1\ndriver 0\n",		/* no value */
		" 0\nsva 0\nfile 2\nguest 1\ndriver 0\n",	/* no key */
		"sva 0\nfile 2\nguest 1\ndriver 0\nnew x\n",	/* unknown, not a count */
		"sva 0\n\nfile 2\nguest 1\ndriver 0\n",		/* an empty line */
		"sva 0 file 2 guest 1 driver 0",
		NULL }; *s; s++)
		assert_int_equal(parse_ioasids_stat(*s, nr), -EINVAL);
	assert_int_equal(parse_ioasids_stat(NULL, nr), -EINVAL);
	assert_int_equal(nr[KIND_SVA], 5);
	assert_int_equal(nr[KIND_FILE], 6);
}

/* parse_ioasid_fdinfo() over @text */
static int fdinfo_of(const char *text, struct ioasid_fdinfo *fi, unsigned int *line)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	ret = parse_ioasid_fdinfo(f, fi, line);
	fclose(f);
	return ret;
}

#define FDINFO_HEAD	"pos:\t0\nflags:\t02000002\nmnt_id:\t21\nino:\t5\n"

static void test_parse_fdinfo(void **state)
{
	struct ioasid_fdinfo fi;
	unsigned int line = 99;

	(void)state;
	assert_int_equal(fdinfo_of(FDINFO_HEAD "ioasid-quota:\t1024\nioasid-count:\t4\n"
				   "ioasid:\t5 spid:- cgroup:/test/a\n"
				   "ioasid:\t7 spid:42 cgroup:/test/a b\n"
				   "ioasid:\t9 spid:0 cgroup:-\n"
				   "ioasid:\t1048575 spid:4294967294 cgroup:/\n", &fi, &line), 0);
	assert_int_equal(line, 0);
	assert_int_equal(fi.quota, 1024);
	assert_int_equal(fi.count, 4);
	assert_int_equal(fi.nids, 4);
	assert_int_equal(fi.ids[0].id, 5);
	assert_false(fi.ids[0].guest);
	assert_string_equal(fi.ids[0].cgroup, "test/a");
	assert_int_equal(fi.ids[1].id, 7);
	assert_true(fi.ids[1].guest);
	assert_int_equal(fi.ids[1].spid, 42);
	assert_string_equal(fi.ids[1].cgroup, "test/a b");	/* to the end of the line */
	assert_true(fi.ids[2].guest);			/* SPID 0 is an SPID */
	assert_int_equal(fi.ids[2].spid, 0);
	assert_null(fi.ids[2].cgroup);			/* not charged */
	assert_int_equal(fi.ids[3].id, 1048575);
	assert_int_equal(fi.ids[3].spid, 4294967294U);
	assert_string_equal(fi.ids[3].cgroup, "/");	/* the root */
	ioasid_fdinfo_free(&fi);
	assert_null(fi.ids);

	/* Fewer lines than the count: IDs freed while it was read. No line at all */
	assert_int_equal(fdinfo_of("ioasid-count:\t3\nioasid:\t2 spid:- cgroup:-\n", &fi, &line), 0);
	assert_int_equal(fi.count, 3);
	assert_int_equal(fi.nids, 1);
	ioasid_fdinfo_free(&fi);
	assert_int_equal(fdinfo_of(FDINFO_HEAD "ioasid-quota:\t1024\nioasid-count:\t0\n", &fi, &line), 0);
	assert_int_equal(fi.nids, 0);
	assert_null(fi.ids);
	/* Lines a later kernel adds are skipped, anywhere */
	assert_int_equal(fdinfo_of("ioasid-count:\t1\nioasid-new:\tx\n"
				   "ioasid:\t3 spid:- cgroup:/c\nlater:\t1\n", &fi, &line), 0);
	assert_int_equal(fi.nids, 1);
	assert_string_equal(fi.ids[0].cgroup, "c");
	ioasid_fdinfo_free(&fi);

	/* A kernel that does not show IDs: no ioasid-count line */
	assert_int_equal(fdinfo_of(FDINFO_HEAD, &fi, &line), -ENODATA);
	assert_int_equal(fdinfo_of("", &fi, &line), -ENODATA);
	assert_null(fi.ids);
	/* An O_PATH descriptor: no show_fdinfo, so no IDs, whatever follows */
	assert_int_equal(fdinfo_of("pos:\t0\nflags:\t012000000\nmnt_id:\t21\nino:\t5\n",
				   &fi, &line), -ENODATA);
	assert_int_equal(fdinfo_of("flags:\t010000000\nioasid-count:\t0\n", &fi, &line),
			 -ENODATA);
	/* O_RDWR|O_CLOEXEC|O_LARGEFILE is not O_PATH */
	assert_int_equal(fdinfo_of("flags:\t02100002\nioasid-count:\t0\n", &fi, &line), 0);
	ioasid_fdinfo_free(&fi);
}

/* A stream whose reads fail with the errno in the cookie */
static ssize_t failing_read(void *cookie, char *buf, size_t n)
{
	(void)buf;
	(void)n;
	errno = *(int *)cookie;
	return -1;
}

/* A read that fails is its errno: the file was closed (ENOENT), not malformed */
static void test_parse_fdinfo_read_error(void **state)
{
	static const int errs[] = { ENOENT, ESRCH, EIO };
	struct ioasid_fdinfo fi;
	unsigned int line = 99;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(errs); i++) {
		int e = errs[i];
		FILE *f = fopencookie(&e, "r", (cookie_io_functions_t){ .read = failing_read });

		assert_non_null(f);
		assert_int_equal(parse_ioasid_fdinfo(f, &fi, &line), -e);
		assert_int_equal(line, 0);
		assert_null(fi.ids);
		fclose(f);
	}
}

/* Every malformed fdinfo is -EINVAL, at its line, and leaves nothing allocated */
static void test_parse_fdinfo_malformed(void **state)
{
	static const struct {
		const char *text;
		unsigned int line;
	} bad[] = {
		{ "ioasid-count:\t1\nioasid:\t5 spid:- cgroup:/a\nioasid:\t5 spid:- cgroup:/a\n", 3 },
		{ "ioasid-count:\t1\nioasid:\t7 spid:- cgroup:/a\nioasid:\t5 spid:- cgroup:/a\n", 3 },
		{ "ioasid-count:\t1\nioasid:\t0 spid:- cgroup:-\n", 2 },		/* PASID 0 */
		{ "ioasid-count:\t1\nioasid:\t-1 spid:- cgroup:-\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t4294967296 spid:- cgroup:-\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t5\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t5 spid:-\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t5 spid:x cgroup:-\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t5 spid: cgroup:-\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t5 spid:- cgroup:\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t5 spid:- cgroup:a/b\n", 2 },	/* not absolute */
		{ "ioasid-count:\t1\nioasid:\t5 spid:- group:/a\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t5  spid:- cgroup:/a\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t 5 spid:- cgroup:/a\n", 2 },
		{ "ioasid-count:\t1\nioasid:\t5 spid:-- cgroup:/a\n", 2 },
		{ "ioasid-count:\tx\n", 1 },
		{ "ioasid-count:\t1\nioasid-count:\t1\n", 2 },
		{ "ioasid-quota:\t-1\nioasid-count:\t1\n", 1 },
		{ FDINFO_HEAD "ioasid-count:\t2\nioasid:\t5 spid:- cgroup:/a\nioasid:\tfive spid:- cgroup:/a\n", 7 },
	};
	struct ioasid_fdinfo fi;
	unsigned int line;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		line = 0;
		assert_int_equal(fdinfo_of(bad[i].text, &fi, &line), -EINVAL);
		assert_int_equal(line, bad[i].line);
		assert_null(fi.ids);
		assert_int_equal(fi.nids, 0);
	}
}

static void test_cgroup_names(void **state)
{
	static const char hybrid[] =
		"12:memory:/user.slice\n1:name=systemd:/user.slice/x.scope\n0::/tenants/a b\n";
	char buf[PATH_MAX];
	FILE *f;

	(void)state;
	assert_int_equal(cg_name_from_kernel("/a/b", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "a/b");
	assert_int_equal(cg_name_from_kernel("/", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/");
	assert_int_equal(cg_name_from_kernel("a", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cg_name_from_kernel("", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cg_name_from_kernel(NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cg_name_from_kernel("/abc", buf, 3), -ENAMETOOLONG);

	assert_true(cg_in_subtree("a/b", "a"));
	assert_true(cg_in_subtree("a", "a"));
	assert_true(cg_in_subtree("a/b/c", "a/b"));
	assert_true(cg_in_subtree("x", "/"));
	assert_true(cg_in_subtree("/", "/"));
	assert_false(cg_in_subtree("ab", "a"));		/* a sibling sharing the prefix */
	assert_false(cg_in_subtree("a", "a/b"));
	assert_false(cg_in_subtree("/", "a"));

	/* /proc/PID/cgroup: the cgroup2 line, on a hybrid host too */
	f = fmemopen((void *)hybrid, sizeof(hybrid) - 1, "r");
	assert_non_null(f);
	assert_int_equal(parse_proc_cgroup(f, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "tenants/a b");
	fclose(f);
	f = fmemopen((void *)hybrid, 24, "r");	/* the v1 line only */
	assert_int_equal(parse_proc_cgroup(f, buf, sizeof(buf)), -ENOENT);
	fclose(f);
	f = fmemopen((void *)"0::x\n", 5, "r");
	assert_int_equal(parse_proc_cgroup(f, buf, sizeof(buf)), -EINVAL);
	fclose(f);
}

/*
 * A /proc made in a temporary directory: each process a directory with
 * comm, cgroup, fd/N links and fdinfo/N files, as the kernel shows them
 */
struct fakeproc {
	char root[64];		/* a mkdtemp() name under /tmp */
};

static void put_file(const char *dir, const char *name, const char *text)
{
	char p[2 * PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Process @pid: @comm, its cgroup, and @nfds descriptors FD -> LINK with fdinfo */
static void fake_process(struct fakeproc *fp, int pid, const char *comm, const char *cgroup,
			 const char *const *fds)
{
	char dir[PATH_MAX], p[2 * PATH_MAX], q[2 * PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/%d", fp->root, pid);
	assert_int_equal(mkdir(dir, 0755), 0);
	if (comm) {
		snprintf(p, sizeof(p), "%s\n", comm);
		put_file(dir, "comm", p);
	}
	if (cgroup) {
		snprintf(p, sizeof(p), "0::%s\n", cgroup);
		put_file(dir, "cgroup", p);
	}
	if (!fds)
		return;
	snprintf(p, sizeof(p), "%s/fd", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/fdinfo", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	/* Triples: the fd, where its link points, its fdinfo (NULL: none) */
	for (; fds[0]; fds += 3) {
		snprintf(p, sizeof(p), "%s/fd/%s", dir, fds[0]);
		assert_int_equal(symlink(fds[1], p), 0);
		if (fds[2]) {
			snprintf(q, sizeof(q), "%s/fdinfo", dir);
			put_file(q, fds[0], fds[2]);
		}
	}
}

#define HEAD	FDINFO_HEAD "ioasid-quota:\t1024\n"

/* The host of the scan tests: two holders sharing a file, and what to skip */
static int fakeproc_setup(void **state)
{
	char tmpl[] = "/tmp/ioasidctl-proc.XXXXXX", p[2 * PATH_MAX];
	struct fakeproc *fp = calloc(1, sizeof(*fp));

	assert_non_null(fp);
	assert_non_null(mkdtemp(tmpl));
	assert_int_equal(chmod(tmpl, 0755), 0);
	snprintf(fp->root, sizeof(fp->root), "%s", tmpl);
	/* Two descriptors of one file: its IDs count once */
	fake_process(fp, 100, "holder-a", "/t/a", (const char *const []){
		"0", "/dev/null", "pos:\t0\n",
		"3", "/dev/ioasid", HEAD "ioasid-count:\t2\nioasid:\t5 spid:- cgroup:/t/a\n"
				    "ioasid:\t7 spid:42 cgroup:/t/a\n",
		"4", "/dev/ioasid", HEAD "ioasid-count:\t2\nioasid:\t5 spid:- cgroup:/t/a\n"
				    "ioasid:\t7 spid:42 cgroup:/t/a\n",
		NULL });
	/* Its child after fork(), moved to t/b, with a file of its own */
	fake_process(fp, 200, "fork child", "/t/b", (const char *const []){
		"5", "/dev/ioasid", HEAD "ioasid-count:\t2\nioasid:\t5 spid:- cgroup:/t/a\n"
				    "ioasid:\t7 spid:42 cgroup:/t/a\n",
		"6", "/dev/ioasid", HEAD "ioasid-count:\t2\nioasid:\t9 spid:- cgroup:/t/b\n"
				    "ioasid:\t10 spid:- cgroup:-\n",
		NULL });
	/* Holding nothing: an empty file, names that are not /dev/ioasid */
	fake_process(fp, 300, "idle", "/", (const char *const []){
		"3", "/dev/ioasid", HEAD "ioasid-count:\t0\n",
		"4", "/dev/ioasidx", HEAD "ioasid-count:\t1\nioasid:\t11 spid:- cgroup:/\n",
		"5", "/dev/ioas", HEAD "ioasid-count:\t1\nioasid:\t12 spid:- cgroup:/\n",
		"6", "/dev/ioasid (deleted)", HEAD "ioasid-count:\t1\nioasid:\t13 spid:- cgroup:/\n",
		NULL });
	/* Gone: between readdir() and its fd directory, and after its fd link */
	fake_process(fp, 400, "gone", "/", NULL);
	fake_process(fp, 401, "closing", "/", (const char *const []){
		"3", "/dev/ioasid", NULL, NULL });
	/* Gone after its fdinfo was read: no comm left */
	fake_process(fp, 402, NULL, NULL, (const char *const []){
		"3", "/dev/ioasid", HEAD "ioasid-count:\t1\nioasid:\t14 spid:- cgroup:/\n", NULL });
	/* Not processes */
	snprintf(p, sizeof(p), "%s/sys", fp->root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/self", fp->root);
	assert_int_equal(symlink("100", p), 0);
	snprintf(p, sizeof(p), "%s/0", fp->root);
	assert_int_equal(mkdir(p, 0755), 0);
	*state = fp;
	return 0;
}

static int fakeproc_teardown(void **state)
{
	struct fakeproc *fp = *state;
	char cmd[2 * PATH_MAX];

	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' && rm -rf '%s'", fp->root, fp->root);
	assert_int_equal(system(cmd), 0);
	free(fp);
	return 0;
}

static void assert_ids(const struct holder *p, const unsigned int *ids, size_t n)
{
	assert_int_equal(p->nids, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(p->ids[i].id, ids[i]);
}

static void test_holders_scan(void **state)
{
	struct fakeproc *fp = *state;
	struct holders h;

	assert_int_equal(holders_scan(fp->root, NULL, &h), 0);
	assert_int_equal(h.err.count, 0);
	assert_int_equal(h.n, 2);
	/* Most IDs first: the child holds the shared file and one more */
	assert_int_equal(h.procs[0].pid, 200);
	assert_string_equal(h.procs[0].comm, "fork child");
	assert_string_equal(h.procs[0].cgroup, "t/b");
	assert_ids(&h.procs[0], (const unsigned int []){ 5, 7, 9, 10 }, 4);
	assert_int_equal(h.procs[0].nr[KIND_FILE], 3);
	assert_int_equal(h.procs[0].nr[KIND_GUEST], 1);
	assert_int_equal(h.procs[0].nr[KIND_SVA], 0);
	assert_int_equal(h.procs[0].shared, 2);
	assert_string_equal(h.procs[0].ids[0].cgroup, "t/a");
	assert_string_equal(h.procs[0].ids[2].cgroup, "t/b");
	assert_null(h.procs[0].ids[3].cgroup);
	/* Two descriptors of one file: each ID once */
	assert_int_equal(h.procs[1].pid, 100);
	assert_string_equal(h.procs[1].comm, "holder-a");
	assert_string_equal(h.procs[1].cgroup, "t/a");
	assert_ids(&h.procs[1], (const unsigned int []){ 5, 7 }, 2);
	assert_int_equal(h.procs[1].nr[KIND_FILE], 1);
	assert_int_equal(h.procs[1].nr[KIND_GUEST], 1);
	assert_int_equal(h.procs[1].shared, 2);
	holders_free(&h);
	assert_null(h.procs);

	/* "/" is everything, as no filter */
	assert_int_equal(holders_scan(fp->root, "/", &h), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.procs[0].nids, 4);
	holders_free(&h);
}

/* A CGROUP counts the IDs charged in its subtree, and only those */
static void test_holders_filter(void **state)
{
	struct fakeproc *fp = *state;
	struct holders h;

	assert_int_equal(holders_scan(fp->root, "t/a", &h), 0);
	assert_int_equal(h.n, 2);
	/* As many each: by pid */
	assert_int_equal(h.procs[0].pid, 100);
	assert_ids(&h.procs[0], (const unsigned int []){ 5, 7 }, 2);
	assert_int_equal(h.procs[1].pid, 200);
	assert_ids(&h.procs[1], (const unsigned int []){ 5, 7 }, 2);
	assert_int_equal(h.procs[1].nr[KIND_FILE], 1);
	assert_int_equal(h.procs[1].shared, 2);
	holders_free(&h);

	assert_int_equal(holders_scan(fp->root, "t/b", &h), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.procs[0].pid, 200);
	assert_ids(&h.procs[0], (const unsigned int []){ 9 }, 1);
	assert_int_equal(h.procs[0].shared, 0);
	holders_free(&h);

	/* The uncharged ID 10 is in no cgroup's subtree */
	assert_int_equal(holders_scan(fp->root, "t", &h), 0);
	assert_int_equal(h.n, 2);
	assert_ids(&h.procs[0], (const unsigned int []){ 5, 7, 9 }, 3);
	holders_free(&h);

	/* A prefix is not a parent */
	assert_int_equal(holders_scan(fp->root, "t/", &h), 0);
	assert_int_equal(h.n, 0);
	assert_null(h.procs);
	assert_int_equal(holders_scan(fp->root, "t/a/x", &h), 0);
	assert_int_equal(h.n, 0);
}

/* A malformed fdinfo is reported with its place; the rest still listed */
static void test_holders_malformed(void **state)
{
	struct fakeproc *fp = *state;
	struct holders h;

	fake_process(fp, 500, "bad", "/", (const char *const []){
		"3", "/dev/ioasid", HEAD "ioasid-count:\t1\nioasid:\t20 spid:? cgroup:/\n", NULL });
	assert_int_equal(holders_scan(fp->root, NULL, &h), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.err.count, 1);
	assert_int_equal(h.err.err, -EINVAL);
	assert_int_equal(h.err.line, 7);
	assert_string_equal(h.err.where, "500/fdinfo/3");
	holders_free(&h);

	/*
	 * No IDs shown: an O_PATH descriptor of /dev/ioasid (anyone may open
	 * one), a descriptor number reused by another file since its link was
	 * read, a kernel without the IDs in fdinfo. Skipped, not errors.
	 */
	fake_process(fp, 501, "opath", "/", (const char *const []){
		"3", "/dev/ioasid", "pos:\t0\nflags:\t012000000\nmnt_id:\t21\nino:\t5\n",
		"4", "/dev/ioasid", "pos:\t0\nflags:\t02100000\nmnt_id:\t21\nino:\t9\n",
		"5", "/dev/ioasid", HEAD, NULL });
	assert_int_equal(holders_scan(fp->root, NULL, &h), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.err.count, 1);
	assert_int_equal(h.err.err, -EINVAL);
	assert_string_equal(h.err.where, "500/fdinfo/3");
	holders_free(&h);

	assert_int_equal(holders_scan("/nonexistent-proc", NULL, &h), -ENOENT);
	assert_int_equal(h.n, 0);
}

/*
 * Entries the scan may not read are skipped: a process of another user,
 * whose fd directory is 0500 and root's. Run as nobody when root.
 */
static void test_holders_eacces(void **state)
{
	struct fakeproc *fp = *state;
	char p[2 * PATH_MAX];
	struct holders h;
	int status;
	pid_t pid;

	/* Readable by all, the scan finds the two holders as anyone */
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (!getuid() && (setgid(65534) || setuid(65534)))
			_exit(10);
		if (holders_scan(fp->root, NULL, &h))
			_exit(11);
		_exit(h.n == 2 && h.err.count == 0 ? 0 : 12);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	snprintf(p, sizeof(p), "%s/100/fd", fp->root);
	assert_int_equal(chmod(p, 0), 0);
	snprintf(p, sizeof(p), "%s/200/fdinfo", fp->root);
	assert_int_equal(chmod(p, 0), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (!getuid() && (setgid(65534) || setuid(65534)))
			_exit(10);
		if (holders_scan(fp->root, NULL, &h))
			_exit(11);
		_exit(h.n == 0 && h.err.count == 0 ? 0 : 12);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* "ioasidctl VERB ARGS", the binary built beside these tests, over the same /proc */
static void run_verb(const struct fakeproc *fp, const char *verb, const char *args, char *out,
		     size_t len)
{
	char exe[PATH_MAX], cmd[4 * PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;
	size_t got;

	assert_true(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "IOASIDCTL_PROC_ROOT='%s' '%s/ioasidctl' %s %s 2>&1; echo \"exit $?\"",
		 fp->root, exe, verb, args);
	f = popen(cmd, "r");
	assert_non_null(f);
	got = fread(out, 1, len - 1, f);
	out[got] = '\0';
	pclose(f);
}

static void test_ps_output(void **state)
{
	struct fakeproc *fp = *state;
	char out[4096];
	json_t *j, *p;

	/* Columns, escapes (the space in a name), CHARGED by count */
	run_verb(fp, "ps", "", out, sizeof(out));
	assert_string_equal(out,
		"    PID COMM            COUNT  FILE GUEST SHARED CGROUP CHARGED\n"
		"    200 fork\\040child       4     3     1      2 t/b t/a,t/b,-\n"
		"    100 holder-a            2     1     1      2 t/a t/a\n"
		"exit 0\n");
	run_verb(fp, "ps", "--json", out, sizeof(out));
	assert_non_null(strstr(out, "\nexit 0\n"));
	*strstr(out, "\nexit 0\n") = '\0';
	j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_array_size(j), 2);
	p = json_array_get(j, 0);
	assert_int_equal(json_integer_value(json_object_get(p, "pid")), 200);
	assert_string_equal(json_string_value(json_object_get(p, "comm")), "fork child");
	assert_string_equal(json_string_value(json_object_get(p, "cgroup")), "t/b");
	assert_int_equal(json_integer_value(json_object_get(p, "count")), 4);
	assert_int_equal(json_integer_value(json_object_get(p, "file")), 3);
	assert_int_equal(json_integer_value(json_object_get(p, "guest")), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "shared")), 2);
	assert_int_equal(json_array_size(json_object_get(p, "charged")), 3);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(p, "charged"), 0), "cgroup")), "t/a");
	assert_int_equal(json_integer_value(json_object_get(
		json_array_get(json_object_get(p, "charged"), 0), "count")), 2);
	assert_true(json_is_null(json_object_get(
		json_array_get(json_object_get(p, "charged"), 2), "cgroup")));
	assert_int_equal(json_array_size(json_object_get(p, "ids")), 4);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(p, "ids"), 3)), 10);
	json_decref(j);

	/* An O_PATH descriptor of /dev/ioasid: not an error, not a holder */
	fake_process(fp, 501, "opath", "/", (const char *const []){
		"3", "/dev/ioasid", "pos:\t0\nflags:\t012000000\nmnt_id:\t21\nino:\t5\n", NULL });
	run_verb(fp, "ps", "", out, sizeof(out));
	assert_non_null(strstr(out, "holder-a"));
	assert_null(strstr(out, "opath"));
	assert_non_null(strstr(out, "\nexit 0\n"));

	/*
	 * Not UTF-8: a comm cut mid-character, a cgroup name of any bytes.
	 * JSON keeps the keys, the bad bytes as \xHH; the table escapes
	 * control characters.
	 */
	fake_process(fp, 600, "caf\xc3", "/t/\xff\x1b[2J", (const char *const []){
		"3", "/dev/ioasid", HEAD "ioasid-count:\t1\nioasid:\t30 spid:- cgroup:/t/\xff\x1b[2J\n",
		NULL });
	run_verb(fp, "ps", "", out, sizeof(out));
	assert_non_null(strstr(out, "    600 caf\xc3"));
	assert_non_null(strstr(out, " t/\xff\\033[2J t/\xff\\033[2J\nexit 0\n"));
	run_verb(fp, "ps", "--json", out, sizeof(out));
	assert_non_null(strstr(out, "\nexit 0\n"));
	*strstr(out, "\nexit 0\n") = '\0';
	j = json_loads(out, 0, NULL);
	assert_non_null(j);
	p = json_array_get(j, 2);
	assert_int_equal(json_integer_value(json_object_get(p, "pid")), 600);
	assert_string_equal(json_string_value(json_object_get(p, "comm")), "caf\\xc3");
	assert_string_equal(json_string_value(json_object_get(p, "cgroup")), "t/\\xff\x1b[2J");
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(p, "charged"), 0), "cgroup")), "t/\\xff\x1b[2J");
	json_decref(j);

	/* Errors: one line, and the status of every verb */
	run_verb(fp, "ps", "a b", out, sizeof(out));
	assert_string_equal(out, "ioasidctl: ps: unexpected argument 'b' (see 'ioasidctl help')\nexit 2\n");
	run_verb(fp, "ps", "--bogus", out, sizeof(out));
	assert_string_equal(out, "ioasidctl: ps: unknown option '--bogus' (see 'ioasidctl help')\nexit 2\n");
	fake_process(fp, 500, "bad", "/", (const char *const []){
		"3", "/dev/ioasid", HEAD "ioasid-count:\t1\nioasid:\t20 spid:? cgroup:/\n", NULL });
	run_verb(fp, "ps", "--json", out, sizeof(out));
	assert_non_null(strstr(out, "\"pid\":200"));
	assert_non_null(strstr(out, "fdinfo/3: line 7: Invalid argument\nexit 1\n"));
}

/* top's usage errors come before it looks for a cgroup: testable here */
static void test_top_usage(void **state)
{
	static const struct {
		const char *args, *out;
	} bad[] = {
		{ "-d 0.05", "ioasidctl: top: bad delay '0.05': seconds, 0.1 to 3600 (see 'ioasidctl help')" },
		{ "-d 1.5s", "ioasidctl: top: bad delay '1.5s': seconds, 0.1 to 3600 (see 'ioasidctl help')" },
		{ "--delay=3601", "ioasidctl: top: bad delay '3601': seconds, 0.1 to 3600 (see 'ioasidctl help')" },
		{ "-n 0", "ioasidctl: top: bad iteration count '0' (see 'ioasidctl help')" },
		{ "--iterations -1", "ioasidctl: top: bad iteration count '-1' (see 'ioasidctl help')" },
		{ "-x", "top: invalid option -- 'x'" },
		{ "-d", "top: option requires an argument -- 'd'" },
		{ "a b", "ioasidctl: top: unexpected argument 'b' (see 'ioasidctl help')" },
		{ "--json", "top: unrecognized option '--json'" },
	};
	struct fakeproc *fp = *state;
	char out[1024], want[512];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		run_verb(fp, "top", bad[i].args, out, sizeof(out));
		snprintf(want, sizeof(want), "%s\nexit 2\n", bad[i].out);
		assert_string_equal(out, want);
	}
}

/* A node of top's tree, as the verb reads them */
static struct top_node node(const char *rel, long parent, unsigned long long current,
			    unsigned long long events)
{
	struct top_node n = { .parent = parent, .current = current, .events = events,
			      .root = !strcmp(rel, "/"), .rate = -1 };

	n.rel = strdup(rel);
	assert_non_null(n.rel);
	snprintf(n.max, sizeof(n.max), "max");
	return n;
}

static void test_top_order(void **state)
{
	/* As a walk finds them: parents first, siblings in readdir() order */
	struct top_node *t = calloc(7, sizeof(*t));
	static const char *const want[] = { "/", "b", "b/y", "b/x", "a", "a/z", "c" };
	static const int depth[] = { 0, 1, 2, 2, 1, 2, 1 };

	(void)state;
	assert_non_null(t);
	t[0] = node("/", -1, 9, 0);
	t[1] = node("a", 0, 1, 0);
	t[2] = node("a/z", 1, 1, 0);
	t[3] = node("b", 0, 5, 0);
	t[4] = node("b/x", 3, 2, 0);
	t[5] = node("b/y", 3, 3, 0);
	t[6] = node("c", 0, 1, 0);	/* as many as a: after it, by name */
	assert_int_equal(top_order(t, 7), 0);
	for (size_t i = 0; i < 7; i++) {
		assert_string_equal(t[i].rel, want[i]);
		assert_int_equal(t[i].depth, depth[i]);
	}
	/* Parents point at their new places */
	assert_int_equal(t[0].parent, -1);
	assert_int_equal(t[2].parent, 1);
	assert_int_equal(t[3].parent, 1);
	assert_int_equal(t[5].parent, 4);
	assert_int_equal(t[6].parent, 0);
	/* A parent index out of the array, or not before the child: a top */
	t[6].parent = 42;
	t[1].parent = 3;
	assert_int_equal(top_order(t, 7), 0);
	assert_string_equal(t[0].rel, "/");
	assert_int_equal(t[0].depth, 0);
	assert_string_equal(t[1].rel, "a");
	assert_string_equal(t[3].rel, "b");	/* a top now, after "/" and its tree */
	assert_int_equal(t[3].depth, 0);
	assert_int_equal(t[4].depth, 1);
	assert_string_equal(t[6].rel, "c");
	assert_int_equal(t[6].depth, 0);
	assert_int_equal(top_order(NULL, 0), 0);
	top_nodes_free(t, 7);
}

static void test_top_rates(void **state)
{
	struct top_node prev[3], cur[4];

	(void)state;
	prev[0] = node("/", -1, 3, 0);
	prev[1] = node("b", 0, 2, 10);
	prev[2] = node("a", 0, 1, 4);
	cur[0] = node("/", -1, 3, 0);
	cur[1] = node("a", 0, 1, 10);	/* 6 more in 2 s */
	cur[2] = node("b", 0, 2, 3);	/* fewer: made again */
	cur[3] = node("new", 0, 0, 0);
	top_rates(cur, 4, prev, 3, 2.0);
	assert_true(cur[0].rate < 0);		/* the root has no events */
	assert_true(cur[1].rate > 2.99 && cur[1].rate < 3.01);
	assert_true(cur[2].rate < 0);
	assert_true(cur[3].rate < 0);
	/* The first refresh: nothing to compare with */
	top_rates(cur, 4, NULL, 0, 2.0);
	assert_true(cur[1].rate < 0);
	top_rates(cur, 4, prev, 3, 0);
	assert_true(cur[1].rate < 0);
	for (int i = 0; i < 3; i++)
		free(prev[i].rel);
	for (int i = 0; i < 4; i++)
		free(cur[i].rel);
}

static void test_top_format(void **state)
{
	struct top_node n = node("tenants/a", 0, 12, 7);
	char buf[512];

	(void)state;
	/* The last column ends at the width: full, then without the kinds */
	assert_int_equal(top_header(buf, sizeof(buf), 120), 120);
	assert_int_equal(strlen(buf), 120);
	assert_true(top_full(120));
	assert_non_null(strstr(buf, " DRIVER  REFUSED/s"));
	assert_int_equal(top_header(buf, sizeof(buf), 70), 70);
	assert_false(top_full(70));
	assert_null(strstr(buf, "DRIVER"));
	assert_string_equal(buf, "CGROUP                            CURRENT      MAX     PEAK  REFUSED/s");
	/* Narrower than the numbers and 16: as wide as that takes */
	assert_int_equal(top_header(buf, sizeof(buf), 10), 16 + 38);

	n.depth = 1;
	n.peak = 14;
	n.rate = 2.5;
	n.have_stat = true;
	n.nr[KIND_FILE] = 10;
	n.nr[KIND_GUEST] = 2;
	snprintf(n.max, sizeof(n.max), "16");
	assert_int_equal(top_row(&n, buf, sizeof(buf), 0), 32 + 66);
	assert_string_equal(buf, "  a                                    12       16       14      0     10      2      0        2.5");
	assert_int_equal(top_row(&n, buf, sizeof(buf), 70), 70);
	assert_string_equal(buf, "  a                                    12       16       14        2.5");
	/* No ioasids.stat, no rate yet, the root */
	n.have_stat = false;
	n.rate = -1;
	assert_int_equal(top_row(&n, buf, sizeof(buf), 0), 98);
	assert_non_null(strstr(buf, "14      -      -      -      -          -"));
	free(n.rel);
	n = node("/", -1, 3, 0);
	n.capacity = 1048575;
	top_row(&n, buf, sizeof(buf), 70);
	assert_string_equal(buf, "/                                       3        -        -          -");
	free(n.rel);
	/* A name cut to fit, with '~' */
	n = node("a/a-very-long-cgroup-name-indeed", 0, 1, 0);
	n.depth = 3;
	top_row(&n, buf, sizeof(buf), 54);
	assert_true(!strncmp(buf, "      a-very-lo~ ", 17));
	free(n.rel);
	/* A buffer too small: cut, terminated */
	assert_int_equal(top_header(buf, 10, 120), 9);
	assert_string_equal(buf, "CGROUP   ");
}

/* Any bytes to a JSON string: valid UTF-8 kept, the rest \xHH */
static void test_json_bytes(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "plain", "plain" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },			/* é */
		{ "caf\xc3", "caf\\xc3" },				/* cut at 15 bytes */
		{ "\xe2\x82\xac\xf0\x9f\x98\x80", "\xe2\x82\xac\xf0\x9f\x98\x80" },
		{ "a\xff" "b\x80", "a\\xffb\\x80" },
		{ "\xc0\xaf", "\\xc0\\xaf" },			/* overlong '/' */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },		/* a surrogate */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },	/* past U+10FFFF */
		{ "\xe2\x82", "\\xe2\\x82" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		json_t *j = json_bytes(cases[i].in);

		assert_non_null(j);
		assert_string_equal(json_string_value(j), cases[i].out);
		json_decref(j);
	}
}

/* top's names reach a terminal: no control character raw */
static void test_top_escape(void **state)
{
	struct top_node n = node("t/evil\033]0;x\007 \\", 0, 1, 0);
	char buf[512];

	(void)state;
	n.depth = 1;
	top_row(&n, buf, sizeof(buf), 0);
	assert_true(!strncmp(buf, "  evil\\033]0;x\\007\\040\\134 ", 27));
	for (const char *c = buf; *c; c++)
		assert_true((unsigned char)*c >= ' ' && *c != 0x7f);
	free(n.rel);
	name_escape("a\nb", buf, 5);
	assert_string_equal(buf, "a");		/* cut, not half an escape */
	name_escape("a\nb", buf, 7);
	assert_string_equal(buf, "a\\012b");
}

#define scratch_test(fn)	cmocka_unit_test_setup_teardown(fn, scratch_setup, scratch_teardown)
#define fakeproc_test(fn)	cmocka_unit_test_setup_teardown(fn, fakeproc_setup, fakeproc_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_parse_limit),
		cmocka_unit_test(test_parse_range),
		cmocka_unit_test(test_parse_events),
		cmocka_unit_test(test_find_mount),
		cmocka_unit_test(test_find_mount_odd),
		scratch_test(test_resolve),
		scratch_test(test_resolve_dotdot),
		scratch_test(test_resolve_absolute),
		scratch_test(test_resolve_symlinks),
		scratch_test(test_resolve_walk),
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_unit_interface),
		cmocka_unit_test(test_unit_cgroup_quiet),
		cmocka_unit_test(test_parse_seconds),
		cmocka_unit_test(test_parse_ioasids_stat),
		cmocka_unit_test(test_parse_fdinfo),
		cmocka_unit_test(test_parse_fdinfo_malformed),
		cmocka_unit_test(test_parse_fdinfo_read_error),
		cmocka_unit_test(test_json_bytes),
		cmocka_unit_test(test_cgroup_names),
		fakeproc_test(test_holders_scan),
		fakeproc_test(test_holders_filter),
		fakeproc_test(test_holders_malformed),
		fakeproc_test(test_holders_eacces),
		fakeproc_test(test_ps_output),
		fakeproc_test(test_top_usage),
		cmocka_unit_test(test_top_order),
		cmocka_unit_test(test_top_rates),
		cmocka_unit_test(test_top_format),
		cmocka_unit_test(test_top_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
