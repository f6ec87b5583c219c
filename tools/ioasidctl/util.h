/* SPDX-License-Identifier: GPL-2.0 */
/* Macros every layer of ioasidctl may use: header-only, so no dependency */
#ifndef IOASIDCTL_UTIL_H
#define IOASIDCTL_UTIL_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif
