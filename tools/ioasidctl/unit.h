/* SPDX-License-Identifier: GPL-2.0 */
/* A systemd unit's cgroup, over D-Bus: what "--unit NAME" means */
#ifndef IOASIDCTL_UNIT_H
#define IOASIDCTL_UNIT_H

#include <stddef.h>

/* The D-Bus interface of a unit name with a cgroup, NULL for any other */
const char *unit_interface(const char *name);
/*
 * @name's cgroup path as systemd gives it ("/system.slice/x.service",
 * relative to the cgroup2 mount) into @buf. 0, or -errno with a
 * one-line reason in @err; prints nothing.
 */
int unit_cgroup(const char *name, char *buf, size_t len, char *err, size_t errlen);

#endif
