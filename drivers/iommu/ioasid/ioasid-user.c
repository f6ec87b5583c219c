// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ioasid: IOASIDs for userspace
 *
 * Each open file owns one IOASID set. IDs taken through it are charged to
 * the ioasids cgroup of the task that takes them, and every ID the file
 * still holds is freed when it is closed, including when its process dies.
 * A VMM allocates host PASIDs for its guest here and attaches the guest's
 * PASID to each as a set-private ID.
 */
#define pr_fmt(fmt) "ioasid: " fmt

#include <linux/fs.h>
#include <linux/ioasid.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/ioasid.h>

/*
 * IDs one open file may hold, at most half the capacity. A VMM needs one per
 * guest address space that uses SVA, which is far below the default. The
 * default bounds what one runaway file can take from the processes and VMs
 * of the rest of the system when the admin set no cgroup limit; it does not
 * replace one (Documentation/userspace-api/ioasid.rst).
 */
static unsigned int file_quota = 1024;
module_param(file_quota, uint, 0644);
MODULE_PARM_DESC(file_quota,
		 "IOASIDs one open file of /dev/ioasid may hold (at most half the capacity)");

/*
 * PASID 0 is never handed out: VT-d uses it for requests without a PASID
 * (RID_PASID) and SMMUv3 reserves SubstreamID 0 likewise. The IDs an IOMMU
 * can use are numbered from 1: there are ioasid_get_capacity() of them,
 * within 20 bits.
 */
#define IOASID_USER_MIN		1

static ioasid_t ioasid_user_last(void)
{
	return min_t(ioasid_t, ioasid_get_capacity(), IOASID_MAX_CAPACITY - 1);
}

/**
 * struct ioasid_user - an open /dev/ioasid
 * @set:	the file's IOASID set, charged to the allocating tasks
 * @lock:	serializes IOASID_ALLOC and IOASID_FREE
 */
struct ioasid_user {
	struct ioasid_set *set;
	/*
	 * An allocation undone after a failed copy to userspace frees the
	 * ID it took, not one another thread took under that number since.
	 */
	struct mutex lock;
};

static int ioasid_user_open(struct inode *inode, struct file *file)
{
	unsigned int quota = clamp_t(unsigned int, READ_ONCE(file_quota), 1,
				     max(ioasid_get_capacity() / 2, 1U));
	struct ioasid_user *user;

	user = kzalloc(sizeof(*user), GFP_KERNEL_ACCOUNT);
	if (!user)
		return -ENOMEM;
	user->set = ioasid_set_alloc(file, quota, IOASID_SET_TYPE_FILE,
				     IOASID_SET_CHARGED);
	if (IS_ERR(user->set)) {
		int ret = PTR_ERR(user->set);

		kfree(user);
		return ret;
	}
	mutex_init(&user->lock);
	file->private_data = user;
	return 0;
}

static int ioasid_user_release(struct inode *inode, struct file *file)
{
	struct ioasid_user *user = file->private_data;

	/* Frees every ID the file still holds, and uncharges each */
	ioasid_set_free(user->set);
	mutex_destroy(&user->lock);
	kfree(user);
	return 0;
}

/*
 * Copy in the first @minsz bytes of a request that starts with argsz and
 * flags, refusing a short argsz and flags outside @valid_flags.
 */
static int ioasid_copy_req(void *req, unsigned long arg, size_t minsz,
			   u32 valid_flags)
{
	u32 *hdr = req;

	if (copy_from_user(req, (void __user *)arg, minsz))
		return -EFAULT;
	if (hdr[0] < minsz || (hdr[1] & ~valid_flags))
		return -EINVAL;
	return 0;
}

static long ioasid_user_info(struct ioasid_set *set, unsigned long arg)
{
	size_t minsz = offsetofend(struct ioasid_info, count);
	struct ioasid_info info;
	int ret;

	ret = ioasid_copy_req(&info, arg, minsz, 0);
	if (ret)
		return ret;
	info.capacity = ioasid_get_capacity();
	info.free = ioasid_get_free();
	info.quota = ioasid_set_quota(set);
	info.count = ioasid_set_count(set);
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long ioasid_user_alloc(struct ioasid_user *user, unsigned long arg)
{
	size_t minsz = offsetofend(struct ioasid_alloc_req, ioasid);
	struct ioasid_alloc_req req;
	ioasid_t min, max, id;
	int ret;

	ret = ioasid_copy_req(&req, arg, minsz, IOASID_ALLOC_FLAG_SPID);
	if (ret)
		return ret;
	if (req.min > req.max || !pasid_valid(req.max))
		return -EINVAL;
	if ((req.flags & IOASID_ALLOC_FLAG_SPID) ? !pasid_valid(req.spid) :
						   req.spid)
		return -EINVAL;

	/* The range the IOMMU can use */
	min = max_t(ioasid_t, req.min, IOASID_USER_MIN);
	max = min_t(ioasid_t, req.max, ioasid_user_last());
	if (min > max)
		return -ENOSPC;

	mutex_lock(&user->lock);
	if (req.flags & IOASID_ALLOC_FLAG_SPID)
		ret = ioasid_alloc_spid(user->set, min, max, req.spid, &id);
	else
		ret = ioasid_alloc(user->set, min, max, NULL, &id);
	if (ret)
		goto out_unlock;

	req.ioasid = id;
	if (copy_to_user((void __user *)arg, &req, minsz)) {
		/* No IOASID_FREE ran since: @id is still the one taken */
		ioasid_free(user->set, id);
		ret = -EFAULT;
	}
out_unlock:
	mutex_unlock(&user->lock);
	return ret;
}

static long ioasid_user_free(struct ioasid_user *user, unsigned long arg)
{
	size_t minsz = offsetofend(struct ioasid_free_req, __reserved);
	struct ioasid_free_req req;
	int ret;

	ret = ioasid_copy_req(&req, arg, minsz, 0);
	if (ret)
		return ret;
	if (req.__reserved)
		return -EINVAL;
	mutex_lock(&user->lock);
	ret = ioasid_free(user->set, req.ioasid);
	mutex_unlock(&user->lock);
	return ret;
}

static long ioasid_user_spid(struct ioasid_set *set, unsigned int cmd,
			     unsigned long arg)
{
	size_t minsz = offsetofend(struct ioasid_spid_req, spid);
	struct ioasid_spid_req req;
	ioasid_t id;
	int ret;

	ret = ioasid_copy_req(&req, arg, minsz, 0);
	if (ret)
		return ret;

	switch (cmd) {
	case IOASID_ATTACH_SPID:
		return ioasid_attach_spid(set, req.ioasid, req.spid);
	case IOASID_DETACH_SPID:
		if (req.spid)
			return -EINVAL;
		return ioasid_detach_spid(set, req.ioasid);
	default: /* IOASID_FIND_SPID */
		id = ioasid_find_by_spid(set, req.spid);
		if (!pasid_valid(id))
			return -ENOENT;
		req.ioasid = id;
		return copy_to_user((void __user *)arg, &req, minsz) ?
			-EFAULT : 0;
	}
}

static long ioasid_user_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct ioasid_user *user = file->private_data;

	switch (cmd) {
	case IOASID_GET_API_VERSION:
		return IOASID_API_VERSION;
	case IOASID_GET_INFO:
		return ioasid_user_info(user->set, arg);
	case IOASID_ALLOC:
		return ioasid_user_alloc(user, arg);
	case IOASID_FREE:
		return ioasid_user_free(user, arg);
	case IOASID_ATTACH_SPID:
	case IOASID_DETACH_SPID:
	case IOASID_FIND_SPID:
		return ioasid_user_spid(user->set, cmd, arg);
	default:
		return -ENOTTY;
	}
}

/*
 * /proc/PID/fdinfo/FD: what the file holds, each ID with the cgroup it is
 * charged to (Documentation/userspace-api/ioasid.rst)
 */
static void ioasid_user_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct ioasid_user *user = file->private_data;

	seq_printf(m, "ioasid-quota:\t%u\n", ioasid_set_quota(user->set));
	seq_printf(m, "ioasid-count:\t%u\n", ioasid_set_count(user->set));
	ioasid_set_show_ids(m, user->set);
}

static const struct file_operations ioasid_user_fops = {
	.owner		= THIS_MODULE,
	.open		= ioasid_user_open,
	.release	= ioasid_user_release,
	.unlocked_ioctl	= ioasid_user_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
	.show_fdinfo	= ioasid_user_show_fdinfo,
};

static struct miscdevice ioasid_user_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ioasid",
	.fops	= &ioasid_user_fops,
	.mode	= 0600,
};

static int __init ioasid_user_init(void)
{
	return misc_register(&ioasid_user_misc);
}
device_initcall(ioasid_user_init);
