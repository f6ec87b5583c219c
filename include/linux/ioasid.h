/* SPDX-License-Identifier: GPL-2.0 */
/*
 * I/O Address Space IDs (PASIDs, SubstreamIDs): sets with an owner and a
 * quota, the system's capacity, set-private IDs.
 *
 * See Documentation/driver-api/ioasid.rst for the model and the locking rules.
 */
#ifndef __LINUX_IOASID_H
#define __LINUX_IOASID_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/string.h>

#define INVALID_IOASID ((ioasid_t)-1)
typedef unsigned int ioasid_t;
typedef ioasid_t (*ioasid_alloc_fn_t)(ioasid_t min, ioasid_t max, void *data);
typedef void (*ioasid_free_fn_t)(ioasid_t ioasid, void *data);

/* PCIe PASIDs are 20 bits wide: no system has more IOASIDs than this */
#define IOASID_MAX_CAPACITY	BIT(20)

struct ioasid_set;
struct seq_file;

/**
 * enum ioasid_set_type - what the token of an IOASID set is
 * @IOASID_SET_TYPE_NULL: an opaque owner cookie, or none: a driver's own
 *                        set (amdgpu's, charged or not)
 * @IOASID_SET_TYPE_MM:   an mm_struct: the set of the mm's SVA PASID, one
 *                        per mm, which the SVA library keeps
 * @IOASID_SET_TYPE_FILE: a struct file of /dev/ioasid, one set per open file
 * @IOASID_SET_TYPE_NR:   number of types, not a type
 *
 * The type says what the token is, not who pays: whether IDs are charged to
 * a cgroup is the set's %IOASID_SET_CHARGED flag.
 */
enum ioasid_set_type {
	IOASID_SET_TYPE_NULL = 1,
	IOASID_SET_TYPE_MM,
	IOASID_SET_TYPE_FILE,
	IOASID_SET_TYPE_NR,
};

/**
 * enum ioasid_kind - what an IOASID is used for, as ioasids.stat counts it
 * @IOASID_KIND_SVA:	the PASID of a process address space: an ID of an
 *			%IOASID_SET_TYPE_MM set
 * @IOASID_KIND_FILE:	an ID of a /dev/ioasid file with no set-private ID
 * @IOASID_KIND_GUEST:	an ID with a set-private ID: a guest's PASID
 * @IOASID_KIND_DRIVER:	an ID of a driver's own set (%IOASID_SET_TYPE_NULL)
 * @IOASID_NR_KINDS:	number of kinds, not a kind
 *
 * Every live ID is of one kind; attaching or detaching its set-private ID
 * moves it between %IOASID_KIND_GUEST and the kind of its set.
 */
enum ioasid_kind {
	IOASID_KIND_SVA,
	IOASID_KIND_FILE,
	IOASID_KIND_GUEST,
	IOASID_KIND_DRIVER,
	IOASID_NR_KINDS,
};

/*
 * ioasid_set_alloc() flags
 *
 * IOASID_SET_CHARGED: the IDs are taken on behalf of a task, and each is
 * charged to the ioasids cgroup of the task that allocates it. A set the
 * kernel allocates for itself (init_mm's, a driver's) is not charged.
 */
#define IOASID_SET_CHARGED	BIT(0)
#define IOASID_SET_FLAGS	IOASID_SET_CHARGED

/**
 * struct ioasid_allocator_ops - a platform's own IOASID allocator
 * @alloc:	return a free ID in [min, max], or %INVALID_IOASID
 * @free:	give an ID back to the platform
 * @list:	private to the IOASID core
 * @pdata:	passed to @alloc and @free
 *
 * A paravirtualized IOMMU (VT-d's virtual command interface) lets the host
 * pick the ID numbers. The core still tracks every ID and its set; only the
 * number comes from @alloc. Both are called with the core's spinlock held
 * and must not sleep.
 */
struct ioasid_allocator_ops {
	ioasid_alloc_fn_t alloc;
	ioasid_free_fn_t free;
	struct list_head list;
	void *pdata;
};

#if IS_ENABLED(CONFIG_IOASID)
/* System capacity */
int ioasid_set_capacity(ioasid_t total);
ioasid_t ioasid_get_capacity(void);
ioasid_t ioasid_get_free(void);
void ioasid_count_kinds(ioasid_t nr[IOASID_NR_KINDS]);

/* Sets */
struct ioasid_set *ioasid_set_alloc(void *token, ioasid_t quota,
				    enum ioasid_set_type type,
				    unsigned int flags);
void ioasid_set_free(struct ioasid_set *set);
void ioasid_set_free_atomic(struct ioasid_set *set);
ioasid_t ioasid_set_count(struct ioasid_set *set);
ioasid_t ioasid_set_quota(struct ioasid_set *set);
void ioasid_set_show_ids(struct seq_file *m, struct ioasid_set *set);

/* IDs */
int ioasid_alloc(struct ioasid_set *set, ioasid_t min, ioasid_t max,
		 void *private, ioasid_t *id);
int ioasid_alloc_spid(struct ioasid_set *set, ioasid_t min, ioasid_t max,
		      ioasid_t spid, ioasid_t *id);
int ioasid_free(struct ioasid_set *set, ioasid_t id);
void *ioasid_find_type(enum ioasid_set_type type, ioasid_t id,
		       bool (*getter)(void *));

/* Set-private IDs */
int ioasid_attach_spid(struct ioasid_set *set, ioasid_t id, ioasid_t spid);
int ioasid_detach_spid(struct ioasid_set *set, ioasid_t id);
ioasid_t ioasid_find_by_spid(struct ioasid_set *set, ioasid_t spid);

/* Platform allocators */
int ioasid_register_allocator(struct ioasid_allocator_ops *allocator);
void ioasid_unregister_allocator(struct ioasid_allocator_ops *allocator);

static inline bool pasid_valid(ioasid_t ioasid)
{
	return ioasid != INVALID_IOASID;
}

#else /* !CONFIG_IOASID */
static inline int ioasid_set_capacity(ioasid_t total)
{
	return -EOPNOTSUPP;
}

static inline ioasid_t ioasid_get_capacity(void)
{
	return 0;
}

static inline ioasid_t ioasid_get_free(void)
{
	return 0;
}

static inline void ioasid_count_kinds(ioasid_t nr[IOASID_NR_KINDS])
{
	memset(nr, 0, sizeof(ioasid_t) * IOASID_NR_KINDS);
}

static inline struct ioasid_set *ioasid_set_alloc(void *token, ioasid_t quota,
						  enum ioasid_set_type type,
						  unsigned int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline void ioasid_set_free(struct ioasid_set *set) { }
static inline void ioasid_set_free_atomic(struct ioasid_set *set) { }

static inline ioasid_t ioasid_set_count(struct ioasid_set *set)
{
	return 0;
}

static inline ioasid_t ioasid_set_quota(struct ioasid_set *set)
{
	return 0;
}

static inline void ioasid_set_show_ids(struct seq_file *m,
				       struct ioasid_set *set)
{
}

static inline int ioasid_alloc(struct ioasid_set *set, ioasid_t min,
			       ioasid_t max, void *private, ioasid_t *id)
{
	return -EOPNOTSUPP;
}

static inline int ioasid_alloc_spid(struct ioasid_set *set, ioasid_t min,
				    ioasid_t max, ioasid_t spid, ioasid_t *id)
{
	return -EOPNOTSUPP;
}

static inline int ioasid_free(struct ioasid_set *set, ioasid_t id)
{
	return -EOPNOTSUPP;
}

static inline void *ioasid_find_type(enum ioasid_set_type type, ioasid_t id,
				     bool (*getter)(void *))
{
	return NULL;
}

static inline int ioasid_attach_spid(struct ioasid_set *set, ioasid_t id,
				     ioasid_t spid)
{
	return -EOPNOTSUPP;
}

static inline int ioasid_detach_spid(struct ioasid_set *set, ioasid_t id)
{
	return -EOPNOTSUPP;
}

static inline ioasid_t ioasid_find_by_spid(struct ioasid_set *set,
					   ioasid_t spid)
{
	return INVALID_IOASID;
}

static inline int ioasid_register_allocator(struct ioasid_allocator_ops *allocator)
{
	return -EOPNOTSUPP;
}

static inline void ioasid_unregister_allocator(struct ioasid_allocator_ops *allocator)
{
}

static inline bool pasid_valid(ioasid_t ioasid)
{
	return false;
}
#endif /* CONFIG_IOASID */
#endif /* __LINUX_IOASID_H */
