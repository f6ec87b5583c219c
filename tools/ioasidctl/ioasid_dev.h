/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/ioasid: thin ioctl wrappers returning 0 or -errno */
#ifndef IOASIDCTL_IOASID_DEV_H
#define IOASIDCTL_IOASID_DEV_H

#include <linux/ioasid.h>

#define IOASID_DEV_PATH	"/dev/ioasid"

int ioasid_dev_open(const char *path);
int ioasid_dev_info(int fd, struct ioasid_info *info);
int ioasid_dev_alloc(int fd, unsigned int min, unsigned int max,
		     const unsigned int *spid, unsigned int *id);
int ioasid_dev_free(int fd, unsigned int id);

#endif
