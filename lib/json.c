// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdio.h>

#include "json.h"

void json_init(struct json *j, struct out *o)
{
	j->o = o;
	j->depth = 0;
	j->first[0] = true;
}

static void json_escaped(struct out *o, const char *s)
{
	char esc[8];

	out_puts(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			out_write(o, esc, 2);
		} else if (c < 0x20 || c >= 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			out_puts(o, esc);
		} else {
			out_write(o, (const char *)&c, 1);
		}
	}
	out_puts(o, "\"");
}

/* The separator before an element, then its key when inside an object. */
static void json_key(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		out_puts(j->o, ",");
	j->first[j->depth] = false;
	if (key) {
		json_escaped(j->o, key);
		out_puts(j->o, ":");
	}
}

void json_str(struct json *j, const char *key, const char *val)
{
	json_key(j, key);
	json_escaped(j->o, val ? val : "");
}

static void json_open(struct json *j, const char *key, const char *brace)
{
	json_key(j, key);
	out_puts(j->o, brace);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, const char *brace)
{
	out_puts(j->o, brace);
	if (j->depth > 0)
		j->depth--;
}

void json_obj_begin(struct json *j, const char *key)
{
	json_open(j, key, "{");
}

void json_obj_end(struct json *j)
{
	json_close(j, "}");
}

void json_arr_begin(struct json *j, const char *key)
{
	json_open(j, key, "[");
}

void json_arr_end(struct json *j)
{
	json_close(j, "]");
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	json_key(j, key);
	out_printf(j->o, "%" PRIu64, val);
}

void json_i64(struct json *j, const char *key, int64_t val)
{
	json_key(j, key);
	out_printf(j->o, "%" PRId64, val);
}

void json_hex(struct json *j, const char *key, uint64_t val)
{
	json_key(j, key);
	out_printf(j->o, "\"0x%" PRIx64 "\"", val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_key(j, key);
	out_puts(j->o, val ? "true" : "false");
}
