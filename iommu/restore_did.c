// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain IDs the next kernel reserves on a unit before it re-attaches
 * any device: every preserved device's attachment_id, reserved in the
 * unit's ID allocator.  The kernel ignores a failed reservation (devices
 * sharing a domain reserve the same DID twice), so a DID used by two
 * different domains would silently alias their IOTLB tags, and a DID
 * beyond CAP.ND's range cannot be reserved at all (re-attach then fails).
 */
#include <stdio.h>
#include <stdlib.h>

#include "iommu_int.h"
#include "restore.h"

struct resv {
	uint64_t did;
	int dom;
	uint32_t devid;
};

static int cmp_did(const void *x, const void *y)
{
	const struct resv *a = x, *b = y;

	return a->did < b->did ? -1 : a->did > b->did;
}

static int cmp_dom(const void *x, const void *y)
{
	const struct resv *a = x, *b = y;

	return a->dom < b->dom ? -1 : a->dom > b->dom;
}

/* One domain, one DID on a unit: the kernel keeps a single DID per domain. */
static int one_did_per_domain(struct resv *r, size_t n, char *why, size_t whylen)
{
	qsort(r, n, sizeof(*r), cmp_dom);
	for (size_t i = 1; i < n; i++)
		if (r[i].dom == r[i - 1].dom && r[i].did != r[i - 1].did) {
			snprintf(why, whylen,
				 "devices %02x:%02x.%u and %02x:%02x.%u share a domain but carry DIDs %llu and %llu",
				 r[i - 1].devid >> 8, (r[i - 1].devid >> 3) & 0x1f,
				 r[i - 1].devid & 7, r[i].devid >> 8,
				 (r[i].devid >> 3) & 0x1f, r[i].devid & 7,
				 (unsigned long long)r[i - 1].did,
				 (unsigned long long)r[i].did);
			return -1;
		}
	return 0;
}

int restore_reserve_dids(const struct probe *p, size_t unit, unsigned int *ndid,
			 char *why, size_t whylen)
{
	const struct iommu_state *s = &p->iommu;
	uint64_t lim = iommu_did_limit(p, &s->unit[unit]);
	struct resv *r = calloc(s->ndev + 1, sizeof(*r));
	size_t n = 0;
	int ret = 0;

	*ndid = 0;
	if (!r) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *v = &s->dev[i];

		if (!v->live || v->unit != (int)unit)
			continue;
		if (!v->attachment_id || v->attachment_id >= lim) {
			snprintf(why, whylen,
				 "DID %llu of device %02x:%02x.%u is outside 1..%llu (CAP.ND)",
				 (unsigned long long)v->attachment_id,
				 v->devid >> 8, (v->devid >> 3) & 0x1f,
				 v->devid & 7, (unsigned long long)lim - 1);
			ret = -1;
			goto out;
		}
		r[n++] = (struct resv){ v->attachment_id, v->domain, v->devid };
	}
	if (one_did_per_domain(r, n, why, whylen)) {
		ret = -1;
		goto out;
	}
	qsort(r, n, sizeof(*r), cmp_did);
	for (size_t i = 0; i < n; i++) {
		if (i && r[i].did == r[i - 1].did) {
			if (r[i].dom != r[i - 1].dom) {
				snprintf(why, whylen,
					 "DID %llu is reserved for two domains (devices %02x:%02x.%u and %02x:%02x.%u)",
					 (unsigned long long)r[i].did,
					 r[i - 1].devid >> 8,
					 (r[i - 1].devid >> 3) & 0x1f,
					 r[i - 1].devid & 7, r[i].devid >> 8,
					 (r[i].devid >> 3) & 0x1f, r[i].devid & 7);
				ret = -1;
				goto out;
			}
			continue;	/* same domain: one reservation */
		}
		(*ndid)++;
	}
out:
	free(r);
	return ret;
}
