// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve a systemd unit to its cgroup, over D-Bus: what "--unit NAME"
 * means, so that hosts whose systemd has no IOASIDMax= can still cap a
 * service or slice by name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "unit.h"
#include "util.h"

static const struct {
	const char *suffix;
	const char *iface;
} unit_types[] = {
	{ ".service", "org.freedesktop.systemd1.Service" },
	{ ".slice", "org.freedesktop.systemd1.Slice" },
	{ ".scope", "org.freedesktop.systemd1.Scope" },
	{ ".socket", "org.freedesktop.systemd1.Socket" },
	{ ".mount", "org.freedesktop.systemd1.Mount" },
	{ ".swap", "org.freedesktop.systemd1.Swap" },
};

/* What systemd allows in a unit name (unit_name_is_valid()) */
static const char unit_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_.\\@";

const char *unit_interface(const char *name)
{
	size_t n = strlen(name), i, s;

	if (!n || n > 255 || strspn(name, unit_chars) != n || name[0] == '@')
		return NULL;
	for (i = 0; i < ARRAY_SIZE(unit_types); i++) {
		s = strlen(unit_types[i].suffix);
		if (n > s && !strcmp(name + n - s, unit_types[i].suffix) &&
		    name[0] != '.' && name[n - s - 1] != '@')
			return unit_types[i].iface;
	}
	return NULL;
}

/*
 * The system bus, or with no bus daemon (early boot, minimal systems)
 * systemd's private socket, which only root may use.
 */
static int bus_open(sd_bus **bus)
{
	int ret = sd_bus_open_system(bus);

	if (ret >= 0)
		return 0;
	ret = sd_bus_new(bus);
	if (ret < 0)
		return ret;
	ret = sd_bus_set_address(*bus, "unix:path=/run/systemd/private");
	if (ret >= 0)
		ret = sd_bus_start(*bus);
	if (ret < 0)
		*bus = sd_bus_unref(*bus);
	return ret;
}

/*
 * Not printed here: the caller says it as "ioasidctl: NAME: <err>", and
 * the tests and fuzzers link this file as it is.
 */
int unit_cgroup(const char *name, char *buf, size_t len, char *err, size_t errlen)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *iface = unit_interface(name), *path;
	sd_bus *bus = NULL;
	char *cg = NULL;
	int ret;

	if (!iface) {
		snprintf(err, errlen,
			 "not a unit name with a cgroup (service, slice, scope, socket, mount or swap)");
		return -EINVAL;
	}
	ret = bus_open(&bus);
	if (ret < 0) {
		snprintf(err, errlen, "cannot reach systemd over D-Bus: %s", strerror(-ret));
		return ret;
	}
	ret = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
				 "org.freedesktop.systemd1.Manager", "GetUnit", &error,
				 &reply, "s", name);
	if (ret < 0) {
		snprintf(err, errlen, "%s",
			 sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchUnit") ?
			 "no such unit loaded" : error.message ? error.message : strerror(-ret));
		goto out;
	}
	ret = sd_bus_message_read(reply, "o", &path);
	if (ret >= 0)
		ret = sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path, iface,
						 "ControlGroup", &error, &cg);
	if (ret < 0) {
		snprintf(err, errlen, "ControlGroup: %s", strerror(-ret));
		goto out;
	}
	if (!*cg) {
		snprintf(err, errlen, "the unit has no cgroup (it is not running)");
		ret = -ESRCH;
	} else if ((size_t)snprintf(buf, len, "%s", cg) >= len) {
		ret = -ENAMETOOLONG;
		snprintf(err, errlen, "%s", strerror(-ret));
	} else {
		ret = 0;
	}
out:
	free(cg);
	sd_bus_message_unref(reply);
	sd_bus_error_free(&error);
	sd_bus_unref(bus);
	return ret;
}
