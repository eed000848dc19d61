// SPDX-License-Identifier: GPL-2.0-only
/* The LUO layer's part of the JSON "handover" object and human summary. */
#include <stdio.h>

#include "luo_int.h"

static const char *gen_name(enum luo_gen gen)
{
	switch (gen) {
	case LUO_GEN_FDT: return "luo-v1-fdt";
	case LUO_GEN_STRUCT_A: return "luo-ser-a";
	case LUO_GEN_STRUCT_B: return "luo-ser-b";
	default: return "unknown";
	}
}

static void json_files(struct json *j, const struct luo_state *l,
		       unsigned int session)
{
	json_arr_begin(j, "files");
	for (unsigned int i = 0; i < l->nfiles; i++) {
		const struct luo_file *f = &l->files[i];

		if (f->session != session)
			continue;
		json_obj_begin(j, NULL);
		json_str(j, "compatible", f->compatible);
		json_hex(j, "data", f->data);
		json_u64(j, "token", f->token);
		if (f->memfd) {
			json_obj_begin(j, "memfd");
			json_u64(j, "size", f->memfd_size);
			json_u64(j, "folios", f->memfd_folios);
			json_u64(j, "folio_bytes", f->memfd_bytes);
			json_bool(j, "ok", f->memfd_ok);
			json_obj_end(j);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
}

void luo_json(struct json *j, const struct probe *p)
{
	const struct luo_state *l = &p->luo;

	json_obj_begin(j, "luo");
	json_bool(j, "present", l->present);
	json_str(j, "generation", gen_name(l->gen));
	json_hex(j, "blob", l->blob_pa);
	if (l->blob_size)
		json_u64(j, "blob_size", l->blob_size);
	if (l->has_num)
		json_u64(j, "liveupdate_number", l->liveupdate_num);
	json_hex(j, "flb_table", l->flb_pa);
	json_arr_begin(j, "flbs");
	for (unsigned int i = 0; i < l->nflb; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "name", l->flb[i].name);
		json_hex(j, "data", l->flb[i].data);
		json_u64(j, "count", l->flb[i].count);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_hex(j, "sessions_pa", l->sessions_pa);
	json_u64(j, "total_sessions", l->total_sessions);
	json_u64(j, "total_files", l->total_files);
	json_arr_begin(j, "sessions");
	for (unsigned int i = 0; i < l->nsessions; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "name", l->sessions[i].name);
		json_hex(j, "files_pa", l->sessions[i].files_pa);
		json_u64(j, "nfiles", l->sessions[i].nfiles);
		json_files(j, l, i);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void luo_summary(struct out *o, const struct probe *p)
{
	const struct luo_state *l = &p->luo;
	uint64_t folios = 0, bytes = 0;

	if (!l->present)
		return;
	for (unsigned int i = 0; i < l->nfiles; i++) {
		folios += l->files[i].memfd_folios;
		bytes += l->files[i].memfd_bytes;
	}
	out_printf(o, "LUO: %s blob 0x%llx, %u FLB%s, %llu session%s, %llu file%s "
		   "(%u memfd: %llu folios, %llu bytes)\n", gen_name(l->gen),
		   (unsigned long long)l->blob_pa, l->nflb, l->nflb == 1 ? "" : "s",
		   (unsigned long long)l->total_sessions,
		   l->total_sessions == 1 ? "" : "s",
		   (unsigned long long)l->total_files,
		   l->total_files == 1 ? "" : "s", l->nmemfd,
		   (unsigned long long)folios, (unsigned long long)bytes);
	for (unsigned int i = 0; i < l->nflb; i++)
		out_printf(o, "  FLB %-32s data 0x%llx count %llu\n", l->flb[i].name,
			   (unsigned long long)l->flb[i].data,
			   (unsigned long long)l->flb[i].count);
}
