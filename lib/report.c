// SPDX-License-Identifier: GPL-2.0-only
#include "report.h"

static const char *const human_tag[] = {
	[CHECK_NOT_RUN] = "SKIP",
	[CHECK_SKIP] = "SKIP",
	[CHECK_PASS] = "PASS",
	[CHECK_FAIL] = "FAIL",
};

static const char *detail_of(const struct check_result *c)
{
	if (c->status == CHECK_NOT_RUN)
		return "not run";
	return c->detail;
}

void report_human(struct out *o, const struct report *rep)
{
	for (int i = 0; i < CK_COUNT; i++) {
		const struct check_result *c = &rep->r[i];

		out_printf(o, "[%s] %s: %s\n", human_tag[c->status],
			   check_name((enum check_id)i), detail_of(c));
		for (unsigned int k = 0; k < c->nextra; k++)
			out_printf(o, "       %s\n", c->extra[k]);
		if (c->nfail > 1 + c->nextra)
			out_printf(o, "       (%u more failures not shown)\n",
				   c->nfail - 1 - c->nextra);
	}
	out_printf(o, "verdict: %s\n",
		   report_verdict_pass(rep) ? "pass" : "fail");
}

void report_ktap(struct out *o, const struct report *rep)
{
	out_puts(o, "KTAP version 1\n");
	out_printf(o, "1..%d\n", CK_COUNT);
	for (int i = 0; i < CK_COUNT; i++) {
		const struct check_result *c = &rep->r[i];
		const char *name = check_name((enum check_id)i);

		switch (c->status) {
		case CHECK_PASS:
			out_printf(o, "ok %d %s\n", i + 1, name);
			break;
		case CHECK_FAIL:
			out_printf(o, "# %s: %s\n", name, c->detail);
			out_printf(o, "not ok %d %s\n", i + 1, name);
			break;
		default:
			out_printf(o, "ok %d %s # SKIP %s\n", i + 1, name,
				   detail_of(c));
			break;
		}
	}
}

void report_json(struct out *o, const struct report *rep, const char *tool,
		 report_json_fn handover, void *arg)
{
	struct json j;

	json_init(&j, o);
	json_obj_begin(&j, NULL);
	json_str(&j, "tool", tool);
	json_str(&j, "version", KHOPROBE_VERSION);
	json_str(&j, "verdict", report_verdict_pass(rep) ? "pass" : "fail");
	json_arr_begin(&j, "checks");
	for (int i = 0; i < CK_COUNT; i++) {
		const struct check_result *c = &rep->r[i];

		json_obj_begin(&j, NULL);
		json_str(&j, "id", check_name((enum check_id)i));
		json_str(&j, "status", check_status_name(c->status));
		json_str(&j, "detail", detail_of(c));
		if (c->nfail > 1)
			json_u64(&j, "failures", c->nfail);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_begin(&j, "handover");
	if (handover)
		handover(&j, arg);
	json_obj_end(&j);
	json_obj_end(&j);
}
