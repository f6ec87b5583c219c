/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioasids cgroup controller: limits the IOASIDs (PASIDs) that the tasks
 * of a cgroup hold. See Documentation/admin-guide/cgroup-v2.rst.
 */
#ifndef _LINUX_IOASIDS_CGROUP_H
#define _LINUX_IOASIDS_CGROUP_H

#include <linux/err.h>
#include <linux/types.h>

struct ioasids_cgroup;

#ifdef CONFIG_CGROUP_IOASIDS
struct ioasids_cgroup *ioasids_try_charge(void);
void ioasids_uncharge(struct ioasids_cgroup *ioasids);
void ioasids_mod_stat(struct ioasids_cgroup *ioasids, int kind, int delta);
int ioasids_cgroup_path(struct ioasids_cgroup *ioasids, char *buf,
			size_t buflen);
#else
static inline struct ioasids_cgroup *ioasids_try_charge(void)
{
	return NULL;
}

static inline void ioasids_uncharge(struct ioasids_cgroup *ioasids) { }

static inline void ioasids_mod_stat(struct ioasids_cgroup *ioasids, int kind,
				    int delta)
{
}

static inline int ioasids_cgroup_path(struct ioasids_cgroup *ioasids,
				      char *buf, size_t buflen)
{
	return -EOPNOTSUPP;
}
#endif /* CONFIG_CGROUP_IOASIDS */
#endif /* _LINUX_IOASIDS_CGROUP_H */
