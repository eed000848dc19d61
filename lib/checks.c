// SPDX-License-Identifier: GPL-2.0-only
/* Recording check outcomes; see checks.h for the rules. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

static const char *const check_names[CK_COUNT] = {
#define CHECK_NAME(sym, name) [CK_##sym] = name,
	CHECK_LIST(CHECK_NAME)
#undef CHECK_NAME
};

const char *check_name(enum check_id id)
{
	return id < CK_COUNT ? check_names[id] : "?";
}

enum check_id check_lookup(const char *name)
{
	for (int i = 0; i < CK_COUNT; i++)
		if (!strcmp(check_names[i], name))
			return (enum check_id)i;
	return CK_COUNT;
}

const char *check_status_name(enum check_status st)
{
	switch (st) {
	case CHECK_PASS:
		return "pass";
	case CHECK_FAIL:
		return "fail";
	default:
		return "skip";
	}
}

void report_init(struct report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

static void set_detail(char *dst, const char *fmt, va_list ap)
{
	vsnprintf(dst, CHECK_DETAIL_LEN, fmt, ap);
}

void check_pass(struct report *rep, enum check_id id, const char *fmt, ...)
{
	struct check_result *c = &rep->r[id];
	va_list ap;

	if (c->status == CHECK_FAIL)
		return;
	c->status = CHECK_PASS;
	va_start(ap, fmt);
	set_detail(c->detail, fmt, ap);
	va_end(ap);
}

void check_done(struct report *rep, enum check_id id, const char *fmt, ...)
{
	struct check_result *c = &rep->r[id];
	va_list ap;

	if (c->status == CHECK_FAIL)
		return;
	c->status = CHECK_PASS;
	if (c->nwarn)
		return;		/* keep the warning as the detail */
	va_start(ap, fmt);
	set_detail(c->detail, fmt, ap);
	va_end(ap);
}

void check_fail(struct report *rep, enum check_id id, const char *fmt, ...)
{
	struct check_result *c = &rep->r[id];
	va_list ap;

	va_start(ap, fmt);
	if (c->status != CHECK_FAIL) {
		c->status = CHECK_FAIL;
		set_detail(c->detail, fmt, ap);
	} else if (c->nextra < CHECK_MAX_EXTRA) {
		set_detail(c->extra[c->nextra++], fmt, ap);
	}
	va_end(ap);
	c->nfail++;
}

void check_skip(struct report *rep, enum check_id id, const char *fmt, ...)
{
	struct check_result *c = &rep->r[id];
	va_list ap;

	if (c->status != CHECK_NOT_RUN)
		return;
	c->status = CHECK_SKIP;
	va_start(ap, fmt);
	set_detail(c->detail, fmt, ap);
	va_end(ap);
}

void check_warn(struct report *rep, enum check_id id, const char *fmt, ...)
{
	struct check_result *c = &rep->r[id];
	char msg[CHECK_DETAIL_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->status != CHECK_FAIL && !c->nwarn)
		snprintf(c->detail, sizeof(c->detail), "warning: %s", msg);
	else if (c->nextra < CHECK_MAX_EXTRA)
		snprintf(c->extra[c->nextra++], CHECK_DETAIL_LEN,
			 "warning: %s", msg);
	c->nwarn++;
}

bool check_failed(const struct report *rep, enum check_id id)
{
	return rep->r[id].status == CHECK_FAIL;
}

bool check_passed(const struct report *rep, enum check_id id)
{
	return rep->r[id].status == CHECK_PASS;
}

bool report_verdict_pass(const struct report *rep)
{
	for (int i = 0; i < CK_COUNT; i++)
		if (rep->r[i].status == CHECK_FAIL)
			return false;
	return true;
}
