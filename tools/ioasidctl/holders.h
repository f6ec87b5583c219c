/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who holds the IDs: the kernel's two views of them, parsed, and the scan
 * of /proc that "ioasidctl ps" prints.
 *
 *   ioasids.stat        a cgroup's IDs by kind: sva, file, guest, driver
 *   /proc/PID/fdinfo/FD of a /dev/ioasid file: "ioasid:\tID spid:S cgroup:P"
 *                       per ID it holds
 *
 * The parsers are pure functions over strings and streams; the scan reads
 * a /proc tree whose root is a parameter, so that the tests hand it one
 * made in a temporary directory. Returns -errno and prints nothing.
 */
#ifndef IOASIDCTL_HOLDERS_H
#define IOASIDCTL_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* The kinds of ioasids.stat, in the file's order */
enum ioasid_kind { KIND_SVA, KIND_FILE, KIND_GUEST, KIND_DRIVER, NR_KINDS };
extern const char *const ioasid_kind_names[NR_KINDS];

/*
 * ioasids.stat: one "KIND N" line per kind. Every kind must be there,
 * once; a key this version does not know is skipped, so that a kernel
 * may add one. 0, or -EINVAL with @nr untouched.
 */
int parse_ioasids_stat(const char *buf, unsigned long long nr[NR_KINDS]);

/* One ID of a /dev/ioasid file */
struct held_id {
	unsigned int id;
	bool guest;		/* it has a set-private ID (spid) */
	unsigned int spid;
	char *cgroup;		/* charged, as ioasidctl names cgroups; NULL if not */
};

/* What a /dev/ioasid file's fdinfo says */
struct ioasid_fdinfo {
	unsigned long long quota, count;	/* ioasid-quota:, ioasid-count: */
	struct held_id *ids;			/* the ioasid: lines, ascending */
	size_t nids;
};

/*
 * The fdinfo of a /dev/ioasid file. The kernel's own lines (pos:, flags:,
 * ...) and unknown ones are skipped. ioasid-count: must be there (it says
 * the kernel shows IDs: -ENODATA without it, and for a file whose flags:
 * have O_PATH, which has no IDs to show); a read that fails is its -errno
 * (-ENOENT: the descriptor was closed meanwhile); the ioasid: lines are what
 * the file holds, which may be fewer than the count when IDs are freed
 * while it is read. A malformed or out-of-order ioasid: line is -EINVAL,
 * with its line number in *@line. On success the caller frees with
 * ioasid_fdinfo_free().
 */
int parse_ioasid_fdinfo(FILE *f, struct ioasid_fdinfo *fi, unsigned int *line);
void ioasid_fdinfo_free(struct ioasid_fdinfo *fi);

/*
 * A kernel cgroup path ("/a/b", relative to the reader's cgroup
 * namespace) as ioasidctl names cgroups: relative to the mount, "/" for
 * the root ("a/b"). -EINVAL for a path not starting with '/'.
 */
int cg_name_from_kernel(const char *kpath, char *buf, size_t len);

/* The cgroup2 path of /proc/PID/cgroup (its "0::" line), as above */
int parse_proc_cgroup(FILE *f, char *buf, size_t len);

/* A process holding IDs through one or more /dev/ioasid files */
struct holder {
	pid_t pid;
	char comm[64];
	char *cgroup;		/* where it runs; NULL if unknown */
	struct held_id *ids;	/* each ID once, ascending */
	size_t nids;
	unsigned int nr[NR_KINDS];
	size_t shared;		/* of its IDs, those another holder holds too */
};

/* The first problem a scan met and how many */
struct scan_err {
	int err;
	unsigned int line;	/* of a malformed fdinfo, or 0 */
	char where[320];	/* the file, relative to the /proc root */
	unsigned int count;
};

struct holders {
	struct holder *procs;
	size_t n;
	struct scan_err err;
};

/*
 * Every process under @proc (a /proc mount, or a tree like it) with a
 * file descriptor whose link reads /dev/ioasid, and the IDs they hold.
 * With @filter (a cgroup as ioasidctl names them, "/" for all), only the
 * IDs charged to it or below it count, and a process with none is left
 * out; without, every ID, charged or not.
 *
 * An ID is counted once per process, however many of its descriptors
 * reach the file; a file shared by several processes (fork, SCM_RIGHTS)
 * is listed under each, its IDs counted in their ->shared.
 *
 * Processes that exit during the scan, descriptors closed or reused
 * during it, O_PATH descriptors and fdinfo without IDs (-ENODATA above),
 * and entries it may not read (EACCES, EPERM), are skipped: that is how
 * /proc is. A malformed fdinfo
 * is skipped and recorded in @h->err. Returns 0 (the list sorted by
 * count, most first, then pid), or -errno when @proc cannot be read or
 * memory runs out. Free with holders_free().
 */
int holders_scan(const char *proc, const char *filter, struct holders *h);
void holders_free(struct holders *h);
/* The /proc to read: $IOASIDCTL_PROC_ROOT, else /proc */
const char *proc_root(void);

/* Does @cg (as ioasidctl names them) lie in @top's subtree? */
bool cg_in_subtree(const char *cg, const char *top);

/*
 * "ioasidctl top": one cgroup of a refresh. The verb reads them from
 * cgroupfs, parents before children; what follows orders, compares and
 * formats them, and needs no cgroupfs.
 */
struct top_node {
	char *rel;		/* as ioasidctl names cgroups, "/" for the top */
	long parent;		/* index of the parent in the same array, -1: none */
	int depth;		/* set by top_order() */
	bool root;		/* the root cgroup: capacity, no max, peak or events.
				 * Not every "/": a cgroup namespace's root is not */
	char max[24];		/* ioasids.max as read */
	unsigned long long current, peak, events, capacity;
	bool have_stat;		/* ioasids.stat was there */
	unsigned long long nr[NR_KINDS];
	double rate;		/* refusals ("max" events) per second, < 0: unknown */
};

/*
 * Put @n nodes in the order top shows them: a tree, each node before its
 * children, siblings by current (most first), then by name. Sets ->depth
 * and ->parent for the new order. 0 or -ENOMEM (@nodes unchanged).
 */
int top_order(struct top_node *nodes, size_t n);
/*
 * ->rate of each node of @cur: its events' growth since the node of the
 * same cgroup in @prev, per second of @dt; -1 for a cgroup that was not
 * there, whose count went back (removed and made again), or when @dt <= 0
 */
void top_rates(struct top_node *cur, size_t n, const struct top_node *prev, size_t pn,
	       double dt);
void top_nodes_free(struct top_node *nodes, size_t n);

/*
 * A line of top's table in @buf, @width columns wide, the CGROUP column
 * taking what the numbers leave (at least 16), so that the last column
 * ends at @width; narrower than the full table, the kinds are left out.
 * @width 0: CGROUP 32 wide. A node's name is its last component, indented
 * by depth; names are cut, with '~', to fit. Returns the length.
 */
int top_header(char *buf, size_t len, int width);
/*
 * @s with the bytes that would break a line or reach the terminal as a
 * command (space, control characters, DEL, backslash) as \ooo, as ps and
 * top print cgroup names; cut to fit @len, terminated
 */
void name_escape(const char *s, char *buf, size_t len);
int top_row(const struct top_node *node, char *buf, size_t len, int width);
/* The columns a table of @width shows: 1 with the kinds, 0 without */
int top_full(int width);

#endif
