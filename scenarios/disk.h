/*
 * disk.h - the disk-encryption workload (scenarios/disk_load.c): what
 * dm-crypt does with AES-256-XTS, as a normal-world task that keeps a
 * queue of requests in flight through the kernel crypto API.
 *
 * Each sector of the volume is written (encrypted from a plaintext buffer
 * into a ciphertext buffer) and read back (decrypted in place); the tweak
 * is the sector number (plain64: little-endian in the first 8 bytes of the
 * IV, counted in units of the sector size, as dm-crypt's iv_large_sectors).
 * Every output is checked at completion: the ciphertext against OpenSSL,
 * the decryption against the original plaintext. Requests that complete
 * with an error code (under --faults) are counted, not checked, and their
 * sector is not read back.
 */
#ifndef SECSOC_SCENARIO_DISK_H
#define SECSOC_SCENARIO_DISK_H

#include <secsoc/crypto.h>
#include <secsoc/prng.h>

#include "scenarios/checker.h"
#include "scenarios/stats.h"

#define DISK_DEPTH_MAX 32
#define DISK_SECTOR_MAX 4096
#define DISK_SIZE_STEP 512		/* request sizes are multiples of this */
#define DISK_KEY_SIZE (2 * AES_KEYSIZE_256)
#define DISK_ALG "xts(aes)"

struct disk_params {
	unsigned int depth;		/* requests in flight at most, 1..DISK_DEPTH_MAX */
	unsigned int sectors;		/* the volume: sectors written and read back */
	/* Request size: drawn per sector from [size_min, size_max] in DISK_SIZE_STEP steps. */
	unsigned int size_min, size_max;
};

enum disk_phase { DISK_FREE, DISK_WRITING, DISK_WRITTEN, DISK_READING };

struct disk_load;

/* One request slot: a sector on its way through write and read-back. */
struct disk_slot {
	struct disk_load *d;
	enum disk_phase phase;
	unsigned int sector;
	unsigned int len;
	u8 *plain;			/* kmalloc: the sector's plaintext */
	u8 *data;			/* kmalloc: its ciphertext, decrypted in place */
	u8 iv[AES_BLOCK_SIZE];		/* the driver updates it */
	struct scatterlist src, dst;
	struct skcipher_request *req;
	u64 submit_ns;
};

struct disk_load {
	struct machine *m;
	struct checker *chk;
	struct disk_params p;
	struct prng prng;
	struct crypto_skcipher *tfm;
	u8 key[DISK_KEY_SIZE];
	struct cpu_task task;
	struct disk_slot slots[DISK_DEPTH_MAX];
	unsigned int next_sector;	/* the next one to write */
	unsigned int sectors_done;	/* written and read back */
	unsigned int sectors_failed;	/* a request completed with an error */
	struct ee_stats stats;
	char driver[CRYPTO_MAX_ALG_NAME];	/* the implementation the API chose */
	bool goal_mid_ta;		/* evaluate DISK_GOAL_ISSUED_MID_TA (the TA runs too) */
};

/* Goal: a Linux request was submitted while the engine ran the secure world's operation. */
#define DISK_GOAL_ISSUED_MID_TA "Linux issued while the TA was mid-operation"

/**
 * disk_load_start - allocate the transform, the key and the slots, and add
 * the task to the first normal-world CPU
 * @seed: drives the key, the sizes and the data (never the strategy's PRNG)
 *
 * Return: 0, or -EINVAL with @err naming what is missing (no xts(aes)).
 */
int disk_load_start(struct disk_load *d, struct machine *m, struct checker *chk,
		    const struct disk_params *p, u64 seed, struct secsoc_error *err);
/** disk_load_in_flight - requests submitted whose callback has not come */
unsigned int disk_load_in_flight(const struct disk_load *d);
/** disk_load_judge - invariant 5: every sector finished (read back or failed) */
void disk_load_judge(const struct disk_load *d);
/**
 * disk_load_release - free the slots and the transform, also after a
 * failed start; requests still in flight (a run stopped by a violation)
 * are abandoned to the kernel, not freed
 */
void disk_load_release(struct disk_load *d);
/** disk_load_report - parameters, sectors and the per-EE figures */
void disk_load_report(const struct disk_load *d, struct report *r);

#endif /* SECSOC_SCENARIO_DISK_H */
