// SPDX-License-Identifier: GPL-2.0
/* cmocka unit tests of ioasidctl's parsers and path handling */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../ioasidctl.h"

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

static void test_parse_events(void **state)
{
	unsigned long long v = 0;

	(void)state;
	assert_int_equal(parse_events("max 42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_events("max", &v), -EINVAL);
	assert_int_equal(parse_events("min 1", &v), -EINVAL);
	assert_int_equal(parse_events("max -1", &v), -EINVAL);
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

static void test_resolve(void **state)
{
	char tmpl[] = "/tmp/ioasidctl-unit.XXXXXX", mnt[PATH_MAX], p[PATH_MAX + 64];
	char rel[PATH_MAX], *dir;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	assert_non_null(realpath(dir, mnt));
	snprintf(p, sizeof(p), "%s/a", mnt);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/a/with space\nnewline", mnt);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/escape", mnt);
	assert_int_equal(symlink("/tmp", p), 0);

	assert_int_equal(cg_resolve(mnt, "a", rel, sizeof(rel)), 0);
	assert_string_equal(rel, "a");
	assert_int_equal(cg_resolve(mnt, "a/with space\nnewline", rel, sizeof(rel)), 0);
	assert_string_equal(rel, "a/with space\nnewline");
	snprintf(p, sizeof(p), "%s/a", mnt);
	assert_int_equal(cg_resolve(mnt, p, rel, sizeof(rel)), 0);
	assert_string_equal(rel, "a");
	assert_int_equal(cg_resolve(mnt, mnt, rel, sizeof(rel)), 0);
	assert_string_equal(rel, "");

	assert_int_equal(cg_resolve(mnt, "..", rel, sizeof(rel)), -EXDEV);
	assert_int_equal(cg_resolve(mnt, "a/../..", rel, sizeof(rel)), -EXDEV);
	assert_int_equal(cg_resolve(mnt, "escape", rel, sizeof(rel)), -EXDEV);
	assert_int_equal(cg_resolve(mnt, "/etc", rel, sizeof(rel)), -EXDEV);
	snprintf(p, sizeof(p), "%sx", mnt);	/* a sibling sharing the prefix */
	assert_int_equal(cg_resolve(mnt, p, rel, sizeof(rel)), -EXDEV);
	assert_int_equal(cg_resolve(mnt, "missing", rel, sizeof(rel)), -ENOENT);
	assert_int_equal(cg_resolve(mnt, "", rel, sizeof(rel)), -EINVAL);
	/* "..x" is a name, not a parent */
	assert_int_equal(cg_resolve(mnt, "..x", rel, sizeof(rel)), -ENOENT);

	snprintf(p, sizeof(p), "rm -rf '%s'", mnt);
	assert_int_equal(system(p), 0);
}

/* unit.c reports through errmsg(), which lives in ioasidctl.c */
void errmsg(int err, const char *fmt, ...)
{
	(void)err;
	(void)fmt;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_parse_limit),
		cmocka_unit_test(test_parse_events),
		cmocka_unit_test(test_find_mount),
		cmocka_unit_test(test_find_mount_odd),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_unit_interface),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
