// SPDX-License-Identifier: GPL-2.0
/* /dev/ioasid access for ioasidctl */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ioasid_dev.h"

int ioasid_dev_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int ioasid_dev_info(int fd, struct ioasid_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return ioctl(fd, IOASID_GET_INFO, info) ? -errno : 0;
}

int ioasid_dev_alloc(int fd, unsigned int min, unsigned int max,
		     const unsigned int *spid, unsigned int *id)
{
	struct ioasid_alloc_req req = {
		.argsz = sizeof(req),
		.min = min,
		.max = max,
	};

	if (spid) {
		req.flags = IOASID_ALLOC_FLAG_SPID;
		req.spid = *spid;
	}
	if (ioctl(fd, IOASID_ALLOC, &req))
		return -errno;
	*id = req.ioasid;
	return 0;
}

int ioasid_dev_free(int fd, unsigned int id)
{
	struct ioasid_free_req req = {
		.argsz = sizeof(req),
		.ioasid = id,
	};

	return ioctl(fd, IOASID_FREE, &req) ? -errno : 0;
}
