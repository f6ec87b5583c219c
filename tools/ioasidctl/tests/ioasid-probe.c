// SPDX-License-Identifier: GPL-2.0
/*
 * Raw /dev/ioasid ioctl checks for the Bats suite: every malformed request
 * must fail with its documented errno and leave nothing allocated.
 *
 *   ioasid-probe                   run the checks
 *   ioasid-probe foreign ID SPID   try to free, attach and look up another
 *                                  process's ID and SPID
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/ioasid.h>

static int failures;

static void expect(const char *what, int ret, int err)
{
	int got = ret < 0 ? errno : 0;

	if (got != err) {
		printf("FAIL %s: got %s, want %s\n", what, got ? strerror(got) : "success",
		       err ? strerror(err) : "success");
		failures++;
	}
}

static int foreign(unsigned int id, unsigned int spid)
{
	int fd = open("/dev/ioasid", O_RDWR);
	struct ioasid_free_req fr = { .argsz = sizeof(fr), .ioasid = id };
	struct ioasid_spid_req sr = { .argsz = sizeof(sr), .ioasid = id, .spid = 99 };
	struct ioasid_spid_req fs = { .argsz = sizeof(fs), .spid = spid };

	if (fd < 0)
		return 1;
	printf("free: %s\n", ioctl(fd, IOASID_FREE, &fr) ? strerror(errno) : "ok");
	printf("attach: %s\n", ioctl(fd, IOASID_ATTACH_SPID, &sr) ? strerror(errno) : "ok");
	printf("find-spid: %s\n", ioctl(fd, IOASID_FIND_SPID, &fs) ? strerror(errno) : "ok");
	return 0;
}

int main(int argc, char **argv)
{
	struct ioasid_alloc_req a = { .argsz = sizeof(a), .min = 1, .max = 1000 };
	struct ioasid_info info = { .argsz = sizeof(info) };
	struct ioasid_free_req fr = { .argsz = sizeof(fr) };
	struct ioasid_spid_req sr = { .argsz = sizeof(sr) };
	unsigned int id, id2;
	int fd, fd2, v;

	if (argc == 4 && !strcmp(argv[1], "foreign"))
		return foreign(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));

	fd = open("/dev/ioasid", O_RDWR);
	fd2 = open("/dev/ioasid", O_RDWR);
	if (fd < 0 || fd2 < 0) {
		perror("/dev/ioasid");
		return 1;
	}
	v = ioctl(fd, IOASID_GET_API_VERSION);
	printf("version %d\n", v);
	if (v != IOASID_API_VERSION)
		failures++;

	expect("info", ioctl(fd, IOASID_GET_INFO, &info), 0);
	info.argsz = 8;
	expect("info short argsz", ioctl(fd, IOASID_GET_INFO, &info), EINVAL);
	info.argsz = sizeof(info);
	info.flags = 1;
	expect("info unknown flag", ioctl(fd, IOASID_GET_INFO, &info), EINVAL);
	expect("unknown ioctl", ioctl(fd, _IO(IOASID_TYPE, IOASID_BASE + 15)), ENOTTY);
	expect("bad pointer", ioctl(fd, IOASID_ALLOC, (void *)8), EFAULT);

	a.argsz = sizeof(a) - 4;
	expect("alloc short argsz", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.argsz = sizeof(a);
	a.flags = 2;
	expect("alloc unknown flag", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.flags = 0;
	a.min = 10, a.max = 5;
	expect("alloc min > max", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.min = 1, a.max = 0xffffffff;
	expect("alloc max invalid", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.max = 1000, a.spid = 5;
	expect("alloc spid without flag", ioctl(fd, IOASID_ALLOC, &a), EINVAL);
	a.spid = 0;
	/* A larger argsz from a newer binary is fine */
	a.argsz = sizeof(a) + 16;
	expect("alloc", ioctl(fd, IOASID_ALLOC, &a), 0);
	a.argsz = sizeof(a);
	id = a.ioasid;

	a.flags = IOASID_ALLOC_FLAG_SPID;
	a.spid = 42;
	expect("alloc with spid", ioctl(fd, IOASID_ALLOC, &a), 0);
	id2 = a.ioasid;
	expect("alloc with a used spid", ioctl(fd, IOASID_ALLOC, &a), EEXIST);

	sr.ioasid = id, sr.spid = 42;
	expect("attach used spid", ioctl(fd, IOASID_ATTACH_SPID, &sr), EEXIST);
	sr.spid = 43;
	expect("attach", ioctl(fd, IOASID_ATTACH_SPID, &sr), 0);
	expect("attach twice", ioctl(fd, IOASID_ATTACH_SPID, &sr), EBUSY);
	sr.ioasid = 0, sr.spid = 43;
	expect("find spid", ioctl(fd, IOASID_FIND_SPID, &sr), 0);
	if (sr.ioasid != id) {
		printf("FAIL find spid returned %u, want %u\n", sr.ioasid, id);
		failures++;
	}
	sr.spid = 44;
	expect("find unknown spid", ioctl(fd, IOASID_FIND_SPID, &sr), ENOENT);
	sr.ioasid = id, sr.spid = 1;
	expect("detach with spid set", ioctl(fd, IOASID_DETACH_SPID, &sr), EINVAL);
	sr.spid = 0;
	expect("detach", ioctl(fd, IOASID_DETACH_SPID, &sr), 0);
	expect("detach twice", ioctl(fd, IOASID_DETACH_SPID, &sr), ENOENT);

	/* Another open file, in the same process, does not own these IDs */
	fr.ioasid = id;
	expect("free through another file", ioctl(fd2, IOASID_FREE, &fr), EACCES);
	sr.ioasid = 0, sr.spid = 42;
	expect("find spid through another file", ioctl(fd2, IOASID_FIND_SPID, &sr), ENOENT);

	fr.__reserved = 1;
	expect("free reserved", ioctl(fd, IOASID_FREE, &fr), EINVAL);
	fr.__reserved = 0;
	expect("free", ioctl(fd, IOASID_FREE, &fr), 0);
	expect("double free", ioctl(fd, IOASID_FREE, &fr), ENOENT);
	fr.ioasid = 0xfffff;
	expect("free unknown", ioctl(fd, IOASID_FREE, &fr), ENOENT);

	info.flags = 0;
	expect("info", ioctl(fd, IOASID_GET_INFO, &info), 0);
	if (info.count != 1) {
		printf("FAIL count %u, want 1\n", info.count);
		failures++;
	}
	/* Closing releases the rest (id2) */
	close(fd);
	expect("info", ioctl(fd2, IOASID_GET_INFO, &info), 0);
	if (info.free != info.capacity) {
		printf("FAIL %u IDs still used after close\n", info.capacity - info.free);
		failures++;
	}
	(void)id2;
	close(fd2);
	if (!failures)
		printf("all checks passed\n");
	return failures ? 1 : 0;
}
