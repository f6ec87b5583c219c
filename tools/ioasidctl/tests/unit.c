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
#include <unistd.h>
#include <cmocka.h>

#include "../cgroupfs.h"
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

#define scratch_test(fn)	cmocka_unit_test_setup_teardown(fn, scratch_setup, scratch_teardown)

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
