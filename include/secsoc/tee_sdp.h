/*
 * tee_sdp.h - the SDP test trusted application's interface, shared by both
 * worlds: its UUID, its commands and (secure side only) its installation
 * and counters. It is the model's counterpart of optee_test's
 * `ta/sdp_basic`, which OP-TEE's Secure Data Path regression (xtest 1014)
 * drives: it moves data between a client's normal memory and a protected
 * ("SDP") buffer and transforms it there, so a client can prove that a
 * protected buffer registered with the TEE really is usable by a TA.
 *
 * Commands (tee_ioctl_invoke_arg.func); the parameters not listed are NONE:
 *   TEE_SDP_CMD_INJECT     [0] MEMREF_INPUT  client data, in normal memory
 *                          [1] MEMREF_OUTPUT the SDP buffer, in protected memory:
 *                              [0]'s bytes are copied to its start
 *   TEE_SDP_CMD_TRANSFORM  [0] MEMREF_INOUT  the SDP buffer: each byte b becomes
 *                              (u8)(~b + 1), in place
 *   TEE_SDP_CMD_DUMP       [0] MEMREF_INPUT  the SDP buffer
 *                          [1] MEMREF_OUTPUT client memory, in normal memory:
 *                              [0]'s bytes are copied to its start
 * docs/tee.md, "The SDP test TA", has the checks and every return code.
 *
 * DUMP copies protected content into normal memory on any client's
 * request: like OP-TEE's test TAs, the SDP TA exists only in test builds.
 * Here it is present only once the secure side installed it
 * (tee_sdp_install()); before, opening it fails as for an unknown UUID.
 */
#ifndef SECSOC_TEE_SDP_H
#define SECSOC_TEE_SDP_H

#include <secsoc/types.h>

struct tee;

/* 5ec5d0a7-2b4d-4e6f-8a9b-5ec50c0de5d7, the 16 bytes of a TEE_UUID in RFC 4122 order */
#define TEE_SDP_TA_UUID								\
	{ 0x5e, 0xc5, 0xd0, 0xa7, 0x2b, 0x4d, 0x4e, 0x6f,			\
	  0x8a, 0x9b, 0x5e, 0xc5, 0x0c, 0x0d, 0xe5, 0xd7 }

/* Commands: optee_test's TA_SDP_BASIC_CMD_* numbers. */
#define TEE_SDP_CMD_INJECT 0
#define TEE_SDP_CMD_TRANSFORM 1
#define TEE_SDP_CMD_DUMP 2
#define TEE_SDP_CMDS 3

/* One command moves at most this many bytes (it runs in one step of the secure CPU). */
#define TEE_SDP_BYTES_MAX (1024u * 1024)

/* What the TA did, for reports and "never reached the TA" checks. */
struct tee_sdp_stats {
	u64 invoked[TEE_SDP_CMDS];	/* commands that reached the TA, by command */
	u64 unknown;			/* commands with an unknown ID that reached it */
	u64 refused;			/* answered with an error by its checks */
	u64 done;			/* finished with TEE_SUCCESS */
	u64 bytes;			/* moved or transformed by those */
};

/* ---- secure side only: nothing in the normal world can reach these ---- */

/**
 * tee_sdp_install - install the SDP test TA in the secure firmware booted
 * on @t (a test build's firmware): from now on OPEN_SESSION finds it.
 * tee_boot() starts without it.
 */
void tee_sdp_install(struct tee *t);

/** tee_sdp_stats - the SDP TA's counters since boot */
struct tee_sdp_stats tee_sdp_stats(const struct tee *t);

/** tee_sdp_invocations - commands that reached the SDP TA, known or not */
static inline u64 tee_sdp_invocations(struct tee_sdp_stats st)
{
	return st.invoked[TEE_SDP_CMD_INJECT] + st.invoked[TEE_SDP_CMD_TRANSFORM] +
	       st.invoked[TEE_SDP_CMD_DUMP] + st.unknown;
}

#endif /* SECSOC_TEE_SDP_H */
