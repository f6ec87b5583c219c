/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/ioasid: take and release I/O Address Space IDs (PASIDs) from
 * userspace. See Documentation/userspace-api/ioasid.rst.
 *
 * Every structure starts with argsz, the size userspace passes, and flags;
 * the kernel reads the fields it knows and refuses an argsz too small for
 * them, unknown flags and non-zero reserved fields with EINVAL.
 */
#ifndef _UAPI_LINUX_IOASID_H
#define _UAPI_LINUX_IOASID_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define IOASID_API_VERSION	1

#define IOASID_TYPE		';'
#define IOASID_BASE		0x40

/**
 * IOASID_GET_API_VERSION - _IO(IOASID_TYPE, IOASID_BASE + 0)
 *
 * Return: %IOASID_API_VERSION.
 */
#define IOASID_GET_API_VERSION	_IO(IOASID_TYPE, IOASID_BASE + 0)

/**
 * struct ioasid_info - IOASID_GET_INFO
 * @argsz:	sizeof(struct ioasid_info)
 * @flags:	0
 * @capacity:	IDs the system has
 * @free:	IDs free in the system
 * @quota:	IDs this open file may hold
 * @count:	IDs this open file holds
 */
struct ioasid_info {
	__u32 argsz;
	__u32 flags;
	__u32 capacity;
	__u32 free;
	__u32 quota;
	__u32 count;
};

#define IOASID_GET_INFO		_IO(IOASID_TYPE, IOASID_BASE + 1)

/**
 * struct ioasid_alloc_req - IOASID_ALLOC
 * @argsz:	sizeof(struct ioasid_alloc_req)
 * @flags:	%IOASID_ALLOC_FLAG_SPID to attach @spid to the new ID
 * @min:	lowest acceptable ID; ID 0 is never given
 * @max:	highest acceptable ID; IDs above the capacity or 20 bits
 *		are never given
 * @spid:	set-private ID to attach (the guest's PASID), with the flag
 * @ioasid:	out: the new ID
 *
 * Errors: EDQUOT when this file's quota or the cgroup's ioasids.max is
 * reached, ENOSPC when the system has no free ID in [@min, @max], EEXIST
 * when @spid is attached to another ID of this file.
 */
struct ioasid_alloc_req {
	__u32 argsz;
	__u32 flags;
#define IOASID_ALLOC_FLAG_SPID	(1U << 0)
	__u32 min;
	__u32 max;
	__u32 spid;
	__u32 ioasid;
};

#define IOASID_ALLOC		_IO(IOASID_TYPE, IOASID_BASE + 2)

/**
 * struct ioasid_free_req - IOASID_FREE
 * @argsz:	sizeof(struct ioasid_free_req)
 * @flags:	0
 * @ioasid:	an ID of this file
 * @__reserved:	0
 */
struct ioasid_free_req {
	__u32 argsz;
	__u32 flags;
	__u32 ioasid;
	__u32 __reserved;
};

#define IOASID_FREE		_IO(IOASID_TYPE, IOASID_BASE + 3)

/**
 * struct ioasid_spid_req - IOASID_ATTACH_SPID, IOASID_DETACH_SPID,
 *			    IOASID_FIND_SPID
 * @argsz:	sizeof(struct ioasid_spid_req)
 * @flags:	0
 * @ioasid:	an ID of this file; out for IOASID_FIND_SPID
 * @spid:	the set-private ID; 0 for IOASID_DETACH_SPID
 */
struct ioasid_spid_req {
	__u32 argsz;
	__u32 flags;
	__u32 ioasid;
	__u32 spid;
};

#define IOASID_ATTACH_SPID	_IO(IOASID_TYPE, IOASID_BASE + 4)
#define IOASID_DETACH_SPID	_IO(IOASID_TYPE, IOASID_BASE + 5)
#define IOASID_FIND_SPID	_IO(IOASID_TYPE, IOASID_BASE + 6)

#endif /* _UAPI_LINUX_IOASID_H */
