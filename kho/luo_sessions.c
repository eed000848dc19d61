// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo.sessions: session records (80 bytes: name[64], files, nfiles) and
 * file records (64 bytes: compatible[48], data, token).  The luo-v1 FDT
 * generation keeps them in one order-4 block {count, sessions[]} and an
 * order-1 array per session; the struct generation in KHO block chains
 * ({next, count} headers).  memfd-v1 files go on to memfd.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luo_int.h"

uint64_t luo_walk_chain(struct probe *p, enum check_id id, uint64_t first,
			unsigned int entry, const char *what, luo_entry_fn fn,
			void *ctx)
{
	unsigned int per = (unsigned int)((KHO_PAGE - LUO_BLOCK_HDR) / entry);
	uint8_t *page = malloc(KHO_PAGE);
	struct u64set seen;
	uint64_t blk = first, total = 0;
	unsigned int nblk = 0;

	u64set_init(&seen);
	while (blk && page) {
		uint64_t count;
		int added = u64set_add(&seen, blk);

		if (added <= 0) {
			check_fail(&p->rep, id, added ? "out of memory" :
				   "%s chain loops back to block 0x%llx", what,
				   (unsigned long long)blk);
			break;
		}
		if (++nblk > LUO_MAX_BLOCKS) {
			check_fail(&p->rep, id, "%s chain longer than %u blocks",
				   what, LUO_MAX_BLOCKS);
			break;
		}
		if (!luo_head(p, id, blk, what, 0, KHO_PAGE, NULL) ||
		    phys_read(p->pm, blk, page, KHO_PAGE, NULL))
			break;
		count = get_le64(page + 8);
		if (!count || count > per) {
			check_fail(&p->rep, id, "%s block 0x%llx: count %llu not in 1..%u",
				   what, (unsigned long long)blk,
				   (unsigned long long)count, per);
			break;
		}
		explain(p, "  %s block 0x%llx: %llu records, next 0x%llx", what,
			(unsigned long long)blk, (unsigned long long)count,
			(unsigned long long)get_le64(page));
		if (!luo_spend(p, id, 1 + count))
			break;
		for (unsigned int i = 0; i < count && !p->luo.over_budget; i++)
			fn(p, ctx, blk + LUO_BLOCK_HDR + (uint64_t)entry * i,
			   page + LUO_BLOCK_HDR + entry * i);
		total += count;
		blk = get_le64(page);
	}
	if (!page)
		check_fail(&p->rep, id, "out of memory");
	u64set_free(&seen);
	free(page);
	return total;
}

static void file_record(struct probe *p, void *ctx, uint64_t pa,
			const uint8_t *rec)
{
	struct luo_state *l = &p->luo;
	unsigned int session = *(unsigned int *)ctx;
	struct luo_file tmp, *f = l->nfiles < LUO_FILES_KEPT ?
				  &l->files[l->nfiles] : &tmp;

	l->total_files++;
	if (!memchr(rec, '\0', LUO_FILE_NAME_LEN)) {
		check_fail(&p->rep, CK_LUO_SESSIONS,
			   "file record 0x%llx: compatible not NUL-terminated",
			   (unsigned long long)pa);
		return;
	}
	memset(f, 0, sizeof(*f));
	f->session = session;
	memcpy(f->compatible, rec, LUO_FILE_NAME_LEN);
	kho_printable(f->compatible);
	f->data = get_le64(rec + 48);
	f->token = get_le64(rec + 56);
	if (f != &tmp)
		l->nfiles++;
	explain(p, "    file '%s' token %llu: data 0x%llx", f->compatible,
		(unsigned long long)f->token, (unsigned long long)f->data);
	if (p->dot && session < l->nsessions) {
		char id[96], from[96], label[96];

		snprintf(id, sizeof(id), "file:%u:%llu", session,
			 (unsigned long long)f->token);
		snprintf(from, sizeof(from), "session:%s",
			 l->sessions[session].name);
		snprintf(label, sizeof(label), "%s token %llu\ndata 0x%llx",
			 f->compatible, (unsigned long long)f->token,
			 (unsigned long long)f->data);
		dot_node(p, id, label);
		dot_edge(p, from, id, NULL);
	}
	if (!strcmp(f->compatible, "memfd-v1"))
		memfd_check_file(p, f);
}

/* luo-v1: one order-1 array of nfiles records, no header. */
static void files_array(struct probe *p, unsigned int session,
			uint64_t files, uint64_t n)
{
	uint8_t *buf;

	if (!luo_head(p, CK_LUO_SESSIONS, files, "file array", 1,
		      n * LUO_FILE_ENTRY, NULL))
		return;
	buf = malloc(n * LUO_FILE_ENTRY);
	if (!buf || phys_read(p->pm, files, buf, n * LUO_FILE_ENTRY, NULL)) {
		check_fail(&p->rep, CK_LUO_SESSIONS, "file array 0x%llx unreadable",
			   (unsigned long long)files);
		free(buf);
		return;
	}
	for (uint64_t i = 0; i < n && luo_spend(p, CK_LUO_SESSIONS, 1); i++)
		file_record(p, &session, files + LUO_FILE_ENTRY * i,
			    buf + LUO_FILE_ENTRY * i);
	free(buf);
}

static void session_record(struct probe *p, void *ctx, uint64_t pa,
			   const uint8_t *rec)
{
	struct luo_state *l = &p->luo;
	struct luo_session tmp, *s = l->nsessions < LUO_SESSIONS_KEPT ?
				     &l->sessions[l->nsessions] : &tmp;
	unsigned int idx = l->nsessions;
	char id[96];

	(void)ctx;
	l->total_sessions++;
	if (!memchr(rec, '\0', LUO_SESSION_NAME_LEN)) {
		check_fail(&p->rep, CK_LUO_SESSIONS,
			   "session record 0x%llx: name not NUL-terminated",
			   (unsigned long long)pa);
		return;
	}
	memcpy(s->name, rec, LUO_SESSION_NAME_LEN);
	kho_printable(s->name);
	s->files_pa = get_le64(rec + 64);
	s->nfiles = get_le64(rec + 72);
	for (unsigned int k = 0; k < l->nsessions; k++)
		if (!strcmp(l->sessions[k].name, s->name))
			check_fail(&p->rep, CK_LUO_SESSIONS,
				   "session name '%s' appears twice", s->name);
	if (s != &tmp)
		l->nsessions++;
	explain(p, "  session '%s': %llu file%s at 0x%llx", s->name,
		(unsigned long long)s->nfiles, s->nfiles == 1 ? "" : "s",
		(unsigned long long)s->files_pa);
	snprintf(id, sizeof(id), "session:%s", s->name);
	dot_node(p, id, id);
	dot_edge(p, "sessions", id, NULL);
	if (!s->nfiles)
		return;
	if (!s->files_pa) {
		check_fail(&p->rep, CK_LUO_SESSIONS,
			   "session '%s' has %llu files but no file pointer",
			   s->name, (unsigned long long)s->nfiles);
		return;
	}
	if (l->gen == LUO_GEN_FDT) {
		files_array(p, idx, s->files_pa, s->nfiles);
	} else {
		uint64_t n = luo_walk_chain(p, CK_LUO_SESSIONS, s->files_pa,
					    LUO_FILE_ENTRY, "file", file_record,
					    &idx);

		if (n != s->nfiles && !check_failed(&p->rep, CK_LUO_SESSIONS))
			check_fail(&p->rep, CK_LUO_SESSIONS,
				   "session '%s': %llu file records, header says %llu",
				   s->name, (unsigned long long)n,
				   (unsigned long long)s->nfiles);
	}
}

/* luo-v1: one order-4 block {count u64, sessions[count]}. */
static void session_block(struct probe *p)
{
	struct luo_state *l = &p->luo;
	struct pblock b;
	uint64_t count, cap;
	uint8_t *buf;

	if (!luo_head(p, CK_LUO_SESSIONS, l->sessions_pa, "session block", 4, 8,
		      &b) || phys_read_u64(p->pm, l->sessions_pa, &count, NULL))
		return;
	cap = (pblock_size(&b) - 8) / LUO_SESSION_ENTRY;
	if (count > cap) {
		check_fail(&p->rep, CK_LUO_SESSIONS,
			   "session block 0x%llx: count %llu > capacity %llu",
			   (unsigned long long)l->sessions_pa,
			   (unsigned long long)count, (unsigned long long)cap);
		return;
	}
	buf = malloc(count * LUO_SESSION_ENTRY + 1);
	if (!buf || phys_read(p->pm, l->sessions_pa + 8, buf,
			      count * LUO_SESSION_ENTRY, NULL)) {
		check_fail(&p->rep, CK_LUO_SESSIONS, "session block 0x%llx unreadable",
			   (unsigned long long)l->sessions_pa);
		free(buf);
		return;
	}
	for (uint64_t i = 0; i < count && luo_spend(p, CK_LUO_SESSIONS, 1); i++)
		session_record(p, NULL, l->sessions_pa + 8 + LUO_SESSION_ENTRY * i,
			       buf + LUO_SESSION_ENTRY * i);
	free(buf);
}

void luo_check_sessions(struct probe *p)
{
	struct luo_state *l = &p->luo;
	char label[64];

	if (!l->has_sessions) {
		check_skip(&p->rep, CK_LUO_SESSIONS, "no session pointer");
		check_skip(&p->rep, CK_MEMFD_FOLIOS, "no sessions");
		return;
	}
	if (l->sessions_pa) {
		explain(p, "sessions at 0x%llx (%s)", (unsigned long long)l->sessions_pa,
			l->gen == LUO_GEN_FDT ? "one block: count, 80-byte records" :
			"KHO block chain of 80-byte records");
		snprintf(label, sizeof(label), "sessions\n0x%llx",
			 (unsigned long long)l->sessions_pa);
		dot_node(p, "sessions", label);
		dot_edge(p, "LUO", "sessions", l->gen == LUO_GEN_FDT ?
			 "luo-session-header" : "sessions_pa");
		if (l->gen == LUO_GEN_FDT)
			session_block(p);
		else
			luo_walk_chain(p, CK_LUO_SESSIONS, l->sessions_pa,
				       LUO_SESSION_ENTRY, "session",
				       session_record, NULL);
	} else if (l->gen == LUO_GEN_FDT) {
		check_fail(&p->rep, CK_LUO_SESSIONS, "luo-session-header is 0");
	}
	check_done(&p->rep, CK_LUO_SESSIONS, "%llu session%s, %llu file%s",
		   (unsigned long long)l->total_sessions,
		   l->total_sessions == 1 ? "" : "s",
		   (unsigned long long)l->total_files,
		   l->total_files == 1 ? "" : "s");
	if (!l->nmemfd)
		check_skip(&p->rep, CK_MEMFD_FOLIOS, "no memfd-v1 files");
	else
		check_done(&p->rep, CK_MEMFD_FOLIOS, "%u memfd-v1 file%s",
			   l->nmemfd, l->nmemfd == 1 ? "" : "s");
}
