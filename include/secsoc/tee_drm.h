/*
 * tee_drm.h - the DRM trusted application's interface, shared by both
 * worlds: its UUID, its command, the sample descriptor the normal world
 * passes by physical address, and (secure side only) key provisioning.
 *
 * TEE_DRM_CMD_DECRYPT takes three parameters:
 *   [0] MEMREF_INPUT  struct tee_drm_decrypt_desc in normal memory
 *   [1] MEMREF_INPUT  the encrypted sample in normal memory
 *   [2] MEMREF_OUTPUT where the clear sample goes: it must lie entirely
 *                     inside protected memory, or the TA refuses with
 *                     TEE_ERROR_SECURITY and writes nothing
 *   [3] NONE
 * docs/tee.md describes the schemes and every return code.
 */
#ifndef SECSOC_TEE_DRM_H
#define SECSOC_TEE_DRM_H

#include <secsoc/types.h>

struct tee;

/* d7a3b8f2-1c4e-4a5b-9e6f-5ec50c0de0a1, as the 16 bytes of a TEE_UUID in RFC 4122 order */
#define TEE_DRM_TA_UUID								\
	{ 0xd7, 0xa3, 0xb8, 0xf2, 0x1c, 0x4e, 0x4a, 0x5b,			\
	  0x9e, 0x6f, 0x5e, 0xc5, 0x0c, 0x0d, 0xe0, 0xa1 }

/* Commands (tee_ioctl_invoke_arg.func). */
#define TEE_DRM_CMD_DECRYPT 1

/* Protection schemes, as the ISO/IEC 23001-7 scheme_type four-character codes. */
#define TEE_DRM_SCHEME_CENC 0x63656e63u	/* 'cenc': AES-128-CTR */
#define TEE_DRM_SCHEME_CBCS 0x63626373u	/* 'cbcs': AES-128-CBC, pattern 1:9, constant IV */

#define TEE_DRM_KEY_BYTES 16
#define TEE_DRM_IV_BYTES 16
#define TEE_DRM_SUBSAMPLES_MAX 32
#define TEE_DRM_SAMPLE_MAX (256u * 1024)	/* bytes of one sample */
#define TEE_DRM_KEYS_MAX 16			/* provisioned content keys */
/* cbcs: of every 10 blocks of an encrypted range, the first is encrypted. */
#define TEE_DRM_CBCS_CRYPT_BLOCKS 1
#define TEE_DRM_CBCS_SKIP_BLOCKS 9

/* One sub-sample: clear bytes, then encrypted bytes. */
struct tee_drm_subsample {
	u32 clear_bytes;
	u32 encrypted_bytes;
};

/*
 * The sample descriptor (little-endian, in normal memory). The sub-samples
 * cover the sample in order: their bytes add up to the input's size.
 * cenc: the encrypted parts of all sub-samples are one AES-CTR stream whose
 * counter starts at @iv and runs on across sub-samples. cbcs: each
 * sub-sample's encrypted part is an AES-CBC chain over its pattern-encrypted
 * blocks that starts from @iv (the constant IV) again; a trailing partial
 * block stays clear.
 */
struct tee_drm_decrypt_desc {
	u32 key_id;
	u32 scheme;			/* TEE_DRM_SCHEME_* */
	u8 iv[TEE_DRM_IV_BYTES];	/* cenc: the initial counter block */
	u32 nr_subsamples;		/* 1..TEE_DRM_SUBSAMPLES_MAX */
	u32 reserved;			/* must be 0 */
	struct tee_drm_subsample subsamples[TEE_DRM_SUBSAMPLES_MAX];
};

/* What the TA did, for reports and checkers (secure-side figures). */
struct tee_drm_stats {
	u64 samples;			/* decrypted successfully */
	u64 bytes;			/* of those samples */
	u64 refused;			/* commands refused before any work */
	u64 failed;			/* commands that failed in the engine or the BAM */
	u64 qce_ops;			/* engine operations run */
	u64 panics;			/* TA crashes */
};

/* ---- secure side only: nothing in the normal world can reach these ---- */

/**
 * tee_drm_provision_key - store a content key in the secure world
 * @key_id: the id samples name; provisioning an id again replaces its key
 * @key: AES-128 key bytes
 *
 * Called at machine set-up (as a key ladder or secure storage would before
 * playback). The key stays in secure memory and reaches the crypto engine
 * only as command elements. Return: 0, or -ENOSPC beyond TEE_DRM_KEYS_MAX keys.
 */
int tee_drm_provision_key(struct tee *t, u32 key_id, const u8 key[TEE_DRM_KEY_BYTES]);

/** tee_drm_stats - the DRM TA's counters since boot */
struct tee_drm_stats tee_drm_stats(const struct tee *t);

#endif /* SECSOC_TEE_DRM_H */
