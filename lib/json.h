/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A streaming JSON writer that never emits a newline, so a whole object
 * fits the one KHOPROBE-JSON: line.  Inside an array pass key = NULL.
 */
#ifndef KHOPROBE_JSON_H
#define KHOPROBE_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "out.h"

#define JSON_MAX_DEPTH	16

struct json {
	struct out *o;
	int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_init(struct json *j, struct out *o);
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_i64(struct json *j, const char *key, int64_t val);
/* Addresses are written as "0x..." strings: JSON numbers lose bits. */
void json_hex(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);

#endif
