/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioasids cgroup controller: limits the IOASIDs (PASIDs) that the tasks
 * of a cgroup hold. See Documentation/admin-guide/cgroup-v2.rst.
 */
#ifndef _LINUX_IOASIDS_CGROUP_H
#define _LINUX_IOASIDS_CGROUP_H

#include <linux/err.h>

struct ioasids_cgroup;

#ifdef CONFIG_CGROUP_IOASIDS
struct ioasids_cgroup *ioasids_try_charge(void);
void ioasids_uncharge(struct ioasids_cgroup *ioasids);
#else
static inline struct ioasids_cgroup *ioasids_try_charge(void)
{
	return NULL;
}

static inline void ioasids_uncharge(struct ioasids_cgroup *ioasids) { }
#endif /* CONFIG_CGROUP_IOASIDS */
#endif /* _LINUX_IOASIDS_CGROUP_H */
